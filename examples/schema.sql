-- The tables examples/policy-test.yaml runs against: with a schema, column lineage is complete.
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12, 2));
CREATE TABLE public.users (id bigint PRIMARY KEY, name text, ssn text, date_of_birth date);
CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id bigint, status text, note text);
