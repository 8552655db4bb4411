package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.pg.PgAnalyzer;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static dev.gatehouse.sql.lineage.LineageCase.my;
import static dev.gatehouse.sql.lineage.LineageCase.pg;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** Lineage of every statement shape, both dialects, against catalogs built from schema text. */
class LineageAnalyzerTest {

    static final List<String> PG_SCHEMA = List.of(
            "CREATE TABLE users (id int PRIMARY KEY, email text, ssn text, org_id int)",
            "CREATE TABLE orgs (id int, name text, plan text)",
            "CREATE TABLE orders (id int, user_id int, total numeric, created_at timestamp)",
            "CREATE SCHEMA billing",
            "CREATE TABLE billing.invoices (id int, org_id int, amount numeric)",
            "CREATE VIEW user_emails AS SELECT id, email FROM users WHERE org_id IS NOT NULL",
            "CREATE VIEW active_emails AS SELECT e.email FROM user_emails e",
            "CREATE VIEW \"Mixed\" (\"Col\") AS SELECT plan FROM orgs",
            "CREATE TABLE \"CaseTable\" (\"Id\" int, name text)",
            "CREATE SCHEMA app",
            "CREATE TABLE app.users (id int, nickname text)",
            // Two views defined before each other exists: a loop the catalog cannot rule out.
            "CREATE VIEW loop_a AS SELECT x FROM loop_b",
            "CREATE VIEW loop_b AS SELECT x FROM loop_a");

    static final List<String> MY_SCHEMA = List.of(
            "CREATE DATABASE shop",
            "USE shop",
            "CREATE TABLE customers (id int, name varchar(10), card varchar(20))",
            "CREATE TABLE orders (id int, customer_id int, total int)",
            "CREATE TABLE `Products` (`Id` int, `Title` text)",
            "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
            "CREATE DATABASE other",
            "CREATE TABLE other.t (a int)",
            "CREATE TABLE shop.users (id int, ssn varchar(11), email varchar(50))");

    private static final String USERS_ALL = "public.users.id,public.users.email,public.users.ssn,public.users.org_id";
    private static final String ORGS_ALL = "public.orgs.id,public.orgs.name,public.orgs.plan";
    private static final String ORDERS_ALL = "public.orders.id,public.orders.user_id,public.orders.total,public.orders.created_at";

    private static String[] all(String commaSeparated) {
        return commaSeparated.split(",");
    }

    static Stream<LineageCase> postgresCases() {
        return Stream.of(
                pg("point select reads select-list and WHERE columns", "SELECT email FROM users WHERE id = 1")
                        .tables("public.users:READ").reads("public.users.email", "public.users.id"),
                pg("star expands through the catalog", "SELECT * FROM orgs")
                        .tables("public.orgs:READ").reads(all(ORGS_ALL)),
                pg("t.* expands one table of a join", "SELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id")
                        .tables("public.orders:READ", "public.users:READ")
                        .reads(all(ORDERS_ALL)).reads("public.users.email", "public.users.id"),
                pg("whole-row reference reads every column", "SELECT u FROM users u")
                        .tables("public.users:READ").reads(all(USERS_ALL)),
                pg("row_to_json of a whole row", "SELECT row_to_json(o) FROM orgs o")
                        .tables("public.orgs:READ").reads(all(ORGS_ALL)).functions("row_to_json"),
                pg("TABLE t reads every column", "TABLE orgs")
                        .tables("public.orgs:READ").reads(all(ORGS_ALL)),
                pg("view expands to base columns, its WHERE included", "SELECT email FROM user_emails")
                        .tables("public.user_emails:READ", "public.users:READ")
                        .reads("public.users.email", "public.users.org_id"),
                pg("view on a view", "SELECT email FROM active_emails")
                        .tables("public.active_emails:READ", "public.user_emails:READ", "public.users:READ")
                        .reads("public.users.email", "public.users.org_id"),
                pg("star over a view", "SELECT * FROM user_emails")
                        .tables("public.user_emails:READ", "public.users:READ")
                        .reads("public.users.id", "public.users.email", "public.users.org_id"),
                pg("CTE maps its outputs back to base columns", "WITH x AS (SELECT id, ssn FROM users) SELECT id FROM x")
                        .tables("public.users:READ").reads("public.users.id"),
                pg("recursive CTE", "WITH RECURSIVE r(n, o) AS (SELECT id, org_id FROM users UNION ALL "
                        + "SELECT n + 1, o FROM r WHERE n < 10) SELECT o FROM r")
                        .tables("public.users:READ").reads("public.users.org_id", "public.users.id"),
                pg("derived table in FROM", "SELECT s.e FROM (SELECT email AS e, ssn FROM users) s")
                        .tables("public.users:READ").reads("public.users.email"),
                pg("subquery in WHERE", "SELECT name FROM orgs WHERE id IN (SELECT org_id FROM users WHERE email = 'x')")
                        .tables("public.orgs:READ", "public.users:READ")
                        .reads("public.orgs.name", "public.orgs.id", "public.users.org_id", "public.users.email"),
                pg("correlated scalar subquery in the select list",
                        "SELECT name, (SELECT count(*) FROM users u WHERE u.org_id = o.id) FROM orgs o")
                        .tables("public.orgs:READ", "public.users:READ")
                        .reads("public.orgs.name", "public.orgs.id", "public.users.org_id").functions("count"),
                pg("lateral subquery sees the left side",
                        "SELECT x.email FROM orgs o, LATERAL (SELECT email FROM users u WHERE u.org_id = o.id) x")
                        .tables("public.orgs:READ", "public.users:READ")
                        .reads("public.users.email", "public.users.org_id", "public.orgs.id"),
                pg("UNION reads all branches", "SELECT email FROM users UNION SELECT name FROM orgs")
                        .tables("public.users:READ", "public.orgs:READ").reads("public.users.email", "public.orgs.name"),
                pg("EXCEPT reads all branches", "SELECT id FROM users EXCEPT SELECT user_id FROM orders")
                        .tables("public.users:READ", "public.orders:READ").reads("public.users.id", "public.orders.user_id"),
                pg("columns only in JOIN, WHERE and ORDER BY are reads",
                        "SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.ssn LIKE '1%' ORDER BY o.created_at")
                        .tables("public.orders:READ", "public.users:READ")
                        .reads("public.orders.id", "public.orders.user_id", "public.orders.created_at",
                                "public.users.id", "public.users.ssn"),
                pg("GROUP BY, HAVING and window clauses",
                        "SELECT org_id, count(*) OVER (PARTITION BY email ORDER BY ssn) FROM users GROUP BY org_id, email, ssn HAVING max(id) > 1")
                        .tables("public.users:READ").reads(all(USERS_ALL)).functions("count", "max"),
                pg("ORDER BY an output alias", "SELECT email AS e FROM users ORDER BY e")
                        .tables("public.users:READ").reads("public.users.email"),
                pg("JOIN USING", "SELECT name FROM orgs JOIN billing.invoices USING (id)")
                        .tables("public.orgs:READ", "billing.invoices:READ")
                        .reads("public.orgs.name", "public.orgs.id", "billing.invoices.id"),
                pg("INSERT with a column list", "INSERT INTO orders (id, user_id) VALUES (1, 2)")
                        .tables("public.orders:WRITE").writes("public.orders.id", "public.orders.user_id"),
                pg("INSERT without a column list writes every column", "INSERT INTO orgs VALUES (1, 'a', 'b')")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)),
                pg("INSERT ... SELECT reads its source", "INSERT INTO orgs (id, name) SELECT id, email FROM users WHERE ssn IS NULL")
                        .tables("public.orgs:WRITE", "public.users:READ")
                        .writes("public.orgs.id", "public.orgs.name")
                        .reads("public.users.id", "public.users.email", "public.users.ssn"),
                pg("INSERT ON CONFLICT DO UPDATE RETURNING",
                        "INSERT INTO orgs (id, name) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET plan = excluded.plan RETURNING plan")
                        .tables("public.orgs:WRITE").writes("public.orgs.id", "public.orgs.name", "public.orgs.plan")
                        .reads("public.orgs.plan"),
                pg("UPDATE with a WHERE", "UPDATE users SET email = lower(email) WHERE id = 7")
                        .tables("public.users:WRITE").writes("public.users.email")
                        .reads("public.users.email", "public.users.id").functions("lower"),
                pg("UPDATE ... FROM", "UPDATE orders o SET total = 0 FROM users u WHERE u.id = o.user_id AND u.ssn = '1'")
                        .tables("public.orders:WRITE", "public.users:READ").writes("public.orders.total")
                        .reads("public.users.id", "public.orders.user_id", "public.users.ssn"),
                pg("UPDATE with a subquery SET", "UPDATE orgs SET (name, plan) = (SELECT email, ssn FROM users WHERE users.id = orgs.id) WHERE id = 2")
                        .tables("public.orgs:WRITE", "public.users:READ").writes("public.orgs.name", "public.orgs.plan")
                        .reads("public.users.email", "public.users.ssn", "public.users.id", "public.orgs.id"),
                pg("UPDATE without WHERE is unbounded", "UPDATE orgs SET plan = 'free'")
                        .tables("public.orgs:WRITE").writes("public.orgs.plan").unbounded(),
                pg("UPDATE WHERE 1=1 is unbounded", "UPDATE orgs SET plan = 'free' WHERE 1=1")
                        .tables("public.orgs:WRITE").writes("public.orgs.plan").unbounded().literalsMatter(),
                pg("DELETE WHERE true is unbounded", "DELETE FROM orgs WHERE true")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).unbounded().literalsMatter(),
                pg("DELETE WHERE column OR true is unbounded", "DELETE FROM orgs WHERE plan = 'x' OR true")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).reads("public.orgs.plan").unbounded().literalsMatter(),
                pg("DELETE WHERE NOT false is unbounded", "DELETE FROM orgs WHERE NOT false")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).unbounded().literalsMatter(),
                pg("DELETE WHERE 'a'='a' is unbounded", "DELETE FROM orgs WHERE 'a' = 'a'")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).unbounded().literalsMatter(),
                pg("DELETE WHERE a column-free function is treated as unbounded", "DELETE FROM orgs WHERE random() < 2")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).functions("random").unbounded().literalsMatter(),
                pg("DELETE WHERE 1=0 is bounded but depends on literals", "DELETE FROM orgs WHERE 1 = 0")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).literalsMatter(),
                pg("DELETE with a column WHERE is bounded", "DELETE FROM orgs WHERE id = 3")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).reads("public.orgs.id"),
                pg("DELETE ... USING", "DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.email = 'x'")
                        .tables("public.orders:WRITE", "public.users:READ").writes(all(ORDERS_ALL))
                        .reads("public.orders.user_id", "public.users.id", "public.users.email"),
                pg("DELETE RETURNING *", "DELETE FROM orgs WHERE id = 1 RETURNING *")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).reads(all(ORGS_ALL)),
                pg("data-modifying CTE", "WITH d AS (DELETE FROM orders WHERE id = 1 RETURNING user_id) "
                        + "SELECT email FROM users WHERE id IN (SELECT user_id FROM d)")
                        .tables("public.orders:WRITE", "public.users:READ").writes(all(ORDERS_ALL))
                        .reads("public.orders.id", "public.orders.user_id", "public.users.email", "public.users.id"),
                pg("MERGE", "MERGE INTO orgs t USING users s ON t.id = s.org_id WHEN MATCHED THEN UPDATE SET name = s.email "
                        + "WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.org_id, s.email)")
                        .tables("public.orgs:WRITE", "public.users:READ").writes("public.orgs.name", "public.orgs.id")
                        .reads("public.orgs.id", "public.users.org_id", "public.users.email"),
                pg("TRUNCATE is DDL and unbounded", "TRUNCATE orders")
                        .tables("public.orders:WRITE,DDL").writes(all(ORDERS_ALL)).unbounded(),
                pg("CREATE TABLE AS is DDL and WRITE", "CREATE TABLE copy AS SELECT id, email FROM users")
                        .tables("public.copy:WRITE,DDL", "public.users:READ")
                        .writes("public.copy.id", "public.copy.email").reads("public.users.id", "public.users.email"),
                pg("SELECT INTO is DDL and WRITE", "SELECT id INTO backup FROM orgs")
                        .tables("public.backup:WRITE,DDL", "public.orgs:READ").writes("public.backup.id").reads("public.orgs.id"),
                pg("DROP TABLE", "DROP TABLE billing.invoices").tables("billing.invoices:DDL"),
                pg("ALTER TABLE", "ALTER TABLE users ADD COLUMN phone text").tables("public.users:DDL"),
                pg("search path: first schema that has the table", "SELECT nickname FROM users")
                        .path("app", "public").tables("app.users:READ").reads("app.users.nickname"),
                pg("search path: a schema that hides another", "SELECT email FROM users")
                        .path("app", "public").tables("app.users:READ").incomplete(),
                pg("search path: unknown table goes to the first real schema", "SELECT x FROM nowhere")
                        .path("$user", "app", "public").tables("app.nowhere:READ").reads("app.nowhere.x"),
                pg("qualified names ignore the search path", "SELECT amount FROM billing.invoices")
                        .path("app").tables("billing.invoices:READ").reads("billing.invoices.amount"),
                pg("pg_ names resolve to pg_catalog", "SELECT rolname FROM pg_authid")
                        .tables("pg_catalog.pg_authid:READ").reads("pg_catalog.pg_authid.rolname"),
                pg("quoted identifiers keep their case", "SELECT \"Id\", name FROM \"CaseTable\"")
                        .tables("public.CaseTable:READ").reads("public.CaseTable.Id", "public.CaseTable.name"),
                pg("unquoted identifiers fold to lower case", "SELECT EMAIL FROM Users WHERE ID = 1")
                        .tables("public.users:READ").reads("public.users.email", "public.users.id"),
                pg("quoted view and view column names", "SELECT \"Col\" FROM \"Mixed\"")
                        .tables("public.Mixed:READ", "public.orgs:READ").reads("public.orgs.plan"),
                pg("functions lower-cased and qualified as written", "SELECT pg_catalog.PG_READ_FILE('/etc/passwd'), Upper(name) FROM orgs")
                        .tables("public.orgs:READ").reads("public.orgs.name").functions("pg_catalog.pg_read_file", "upper"),
                pg("session keywords are not columns", "SELECT current_user, email FROM users")
                        .tables("public.users:READ").reads("public.users.email"),
                pg("views that refer to each other stop expanding and are incomplete", "SELECT x FROM loop_a")
                        .tables("public.loop_a:READ", "public.loop_b:READ").incomplete(),
                pg("star over an unknown table reads every column of it", "SELECT * FROM mystery")
                        .tables("public.mystery:READ").reads("public.mystery.*"),
                pg("star over an unknown table through a subquery", "SELECT s.x FROM (SELECT * FROM mystery) s")
                        .tables("public.mystery:READ").reads("public.mystery.*"),
                pg("alias column list over an unknown table", "SELECT b FROM mystery AS m(a, b)")
                        .tables("public.mystery:READ").reads("public.mystery.*"),
                pg("natural join with an unknown table", "SELECT o.id FROM orgs o NATURAL JOIN mystery")
                        .tables("public.mystery:READ", "public.orgs:READ").reads("public.mystery.*", "public.orgs.id"),
                pg("unqualified column over two unknown tables is read from both, which is all it can be", "SELECT a FROM m1, m2")
                        .tables("public.m1:READ", "public.m2:READ").reads("public.m1.a", "public.m2.a"),
                pg("a column a subquery's unknown table may not have may be the outer row's",
                        "SELECT (SELECT note FROM m1) FROM orgs")
                        .tables("public.m1:READ", "public.orgs:READ").reads("public.m1.note"),
                pg("a column neither level knows is read from every candidate",
                        "SELECT (SELECT x FROM m1) FROM m2")
                        .tables("public.m1:READ", "public.m2:READ").reads("public.m1.x", "public.m2.x"),
                pg("column missing from a known table is incomplete", "SELECT nope FROM orgs")
                        .tables("public.orgs:READ").incomplete(),
                pg("CASE, CAST and :: read their columns", "SELECT CASE WHEN ssn IS NULL THEN 'a' ELSE email END, CAST(org_id AS text), id::text FROM users")
                        .tables("public.users:READ").reads(all(USERS_ALL)),
                pg("EXISTS subquery", "SELECT name FROM orgs o WHERE EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id AND u.ssn = '1')")
                        .tables("public.orgs:READ", "public.users:READ")
                        .reads("public.orgs.name", "public.orgs.id", "public.users.org_id", "public.users.ssn"),
                pg("= ANY subquery", "SELECT email FROM users WHERE id = ANY (SELECT user_id FROM orders)")
                        .tables("public.users:READ", "public.orders:READ")
                        .reads("public.users.email", "public.users.id", "public.orders.user_id"),
                pg("aggregate FILTER clause", "SELECT count(*) FILTER (WHERE ssn IS NOT NULL) FROM users")
                        .tables("public.users:READ").reads("public.users.ssn").functions("count"),
                pg("SQL-standard function syntax reads its operands",
                        "SELECT substring(email FROM 1 FOR 2), trim(BOTH 'x' FROM ssn), position('a' IN plan) FROM users, orgs")
                        .tables("public.users:READ", "public.orgs:READ")
                        .reads("public.users.email", "public.users.ssn", "public.orgs.plan")
                        // PostgreSQL's grammar turns the SQL-standard forms into these calls
                        .functions("pg_catalog.substring", "pg_catalog.btrim", "pg_catalog.position"),
                pg("subquery in OFFSET leaks through the row count", "SELECT name FROM orgs OFFSET (CASE WHEN (SELECT count(ssn) FROM users) > 1 THEN 1 END)")
                        .tables("public.orgs:READ", "public.users:READ").reads("public.orgs.name", "public.users.ssn")
                        .functions("count"),
                pg("json_object", "SELECT json_object('{a,1}')").functions("json_object"),
                pg("count(*) reads no column", "SELECT count(*) FROM users").tables("public.users:READ").functions("count"),
                pg("named window", "SELECT sum(total) OVER w FROM orders WINDOW w AS (PARTITION BY user_id ORDER BY created_at)")
                        .tables("public.orders:READ")
                        .reads("public.orders.total", "public.orders.user_id", "public.orders.created_at").functions("sum"),
                pg("star over two tables", "SELECT * FROM users u, orgs o WHERE u.org_id = o.id")
                        .tables("public.users:READ", "public.orgs:READ").reads(all(USERS_ALL)).reads(all(ORGS_ALL)),
                pg("star over a derived star", "SELECT * FROM (SELECT * FROM orgs) s")
                        .tables("public.orgs:READ").reads(all(ORGS_ALL)),
                pg("alias.* over a derived table", "SELECT s.* FROM (SELECT id, plan FROM orgs) s")
                        .tables("public.orgs:READ").reads("public.orgs.id", "public.orgs.plan"),
                pg("a CTE hides a table of the same name", "WITH users AS (SELECT name FROM orgs) SELECT name FROM users")
                        .tables("public.orgs:READ").reads("public.orgs.name"),
                pg("set-returning function in FROM", "SELECT u.email, x.n FROM users u, unnest(ARRAY[1, 2]) AS x(n)")
                        .tables("public.users:READ").reads("public.users.email").functions("unnest"),
                pg("VALUES in FROM", "SELECT v.a FROM (VALUES (1, 2)) v(a, b)"),
                pg("no FROM", "SELECT now(), 1 + 2").functions("now"),
                pg("schema-qualified column reference", "SELECT public.users.email FROM public.users")
                        .tables("public.users:READ").reads("public.users.email"),
                pg("quoted alias keeps case", "SELECT \"U\".email FROM users \"U\"")
                        .tables("public.users:READ").reads("public.users.email"),
                pg("quoted column name does not fold", "SELECT \"EMAIL\" FROM users")
                        .tables("public.users:READ").incomplete(),
                pg("qualifier with no table in scope is incomplete", "SELECT x.email FROM users")
                        .tables("public.users:READ").incomplete(),
                pg("INSERT ... SELECT UNION", "INSERT INTO orgs (id) SELECT id FROM users UNION SELECT user_id FROM orders")
                        .tables("public.orgs:WRITE", "public.users:READ", "public.orders:READ")
                        .writes("public.orgs.id").reads("public.users.id", "public.orders.user_id"),
                pg("DELETE with a subquery WHERE is bounded", "DELETE FROM users WHERE id IN (SELECT user_id FROM orders)")
                        .tables("public.users:WRITE", "public.orders:READ").writes(all(USERS_ALL))
                        .reads("public.users.id", "public.orders.user_id"),
                pg("UPDATE RETURNING expression", "UPDATE orgs SET plan = 'x' WHERE id = 1 RETURNING upper(name)")
                        .tables("public.orgs:WRITE").writes("public.orgs.plan").reads("public.orgs.id", "public.orgs.name")
                        .functions("upper"),
                pg("CREATE VIEW reads what it will expose", "CREATE VIEW v2 AS SELECT email FROM users")
                        .tables("public.v2:DDL", "public.users:READ").reads("public.users.email"),
                pg("CREATE INDEX", "CREATE INDEX i ON users (email)").tables("public.users:DDL"),
                pg("CREATE DATABASE has no table lineage", "CREATE DATABASE x"),
                pg("SET has no table lineage, its value matters", "SET statement_timeout = 0").literalsMatter(),
                pg("DEFAULT is not a column", "UPDATE orgs SET plan = DEFAULT WHERE id = 1")
                        .tables("public.orgs:WRITE").writes("public.orgs.plan").reads("public.orgs.id"),
                pg("INSERT DEFAULT VALUES writes every column", "INSERT INTO orgs DEFAULT VALUES")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)),
                pg("CTE before INSERT", "WITH x AS (SELECT id FROM users) INSERT INTO orgs (id) SELECT id FROM x")
                        .tables("public.users:READ", "public.orgs:WRITE").writes("public.orgs.id").reads("public.users.id"),
                pg("DELETE WHERE id = 1 OR 1 = 1 is unbounded", "DELETE FROM orgs WHERE id = 1 OR 1 = 1")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).reads("public.orgs.id").unbounded().literalsMatter(),
                pg("DELETE WHERE parameter = parameter is unsure, so unbounded", "DELETE FROM orgs WHERE $1 = $2")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).unbounded().literalsMatter(),
                pg("DELETE bounded by a parameter", "DELETE FROM orgs WHERE id = $1")
                        .tables("public.orgs:WRITE").writes(all(ORGS_ALL)).reads("public.orgs.id"),
                pg("GRANT names the table it changes access to", "GRANT SELECT ON orgs TO bob").tables("public.orgs:DDL"),
                pg("deep nesting is read by the simple grammar", "SELECT " + "(".repeat(10) + "id" + ")".repeat(10) + " FROM orgs")
                        .tables("public.orgs:READ").reads("public.orgs.id"),
                pg("deep nesting is read like any other text",
                        "SELECT " + "(".repeat(12) + "plan COLLATE \"C\"" + ")".repeat(12) + " FROM orgs")
                        .tables("public.orgs:READ").reads("public.orgs.plan"),
                pg("parse failure shares no cached answer", "SELECT FROM WHERE FROM").unparsed().literalsMatter());
    }

    static Stream<LineageCase> mysqlCases() {
        return Stream.of(
                my("current database resolves unqualified names", "SELECT name FROM customers WHERE id = 1")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.id"),
                my("backticks stripped and names lower-cased", "SELECT `Title` FROM `Products` WHERE `ID` = 2")
                        .tables("shop.products:READ").reads("shop.products.title", "shop.products.id"),
                my("database-qualified name", "SELECT a FROM other.t").tables("other.t:READ").reads("other.t.a"),
                my("column and table names compare lower-cased", "SELECT NAME, Customers.CARD FROM Customers")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.card"),
                my("SHOW TABLES has no table lineage", "SHOW TABLES"),
                my("star", "SELECT * FROM customers")
                        .tables("shop.customers:READ").reads("shop.customers.id", "shop.customers.name", "shop.customers.card"),
                my("view expands to base columns", "SELECT total FROM big_orders")
                        .tables("shop.big_orders:READ", "shop.orders:READ").reads("shop.orders.total"),
                my("multi-table UPDATE writes only SET targets",
                        "UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.total = 0 WHERE c.card = 'x'")
                        .tables("shop.orders:WRITE", "shop.customers:READ").writes("shop.orders.total")
                        .reads("shop.customers.id", "shop.orders.customer_id", "shop.customers.card"),
                my("comma multi-table UPDATE", "UPDATE orders, customers SET orders.total = customers.id WHERE orders.customer_id = customers.id")
                        .tables("shop.orders:WRITE", "shop.customers:READ").writes("shop.orders.total")
                        .reads("shop.customers.id", "shop.orders.customer_id"),
                my("multi-table DELETE", "DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.name = 'x'")
                        .tables("shop.orders:WRITE", "shop.customers:READ")
                        .writes("shop.orders.id", "shop.orders.customer_id", "shop.orders.total")
                        .reads("shop.customers.id", "shop.orders.customer_id", "shop.customers.name"),
                my("REPLACE writes every column (it deletes the old row)", "REPLACE INTO customers (id, name) VALUES (1, 'a')")
                        .tables("shop.customers:WRITE")
                        .writes("shop.customers.id", "shop.customers.name", "shop.customers.card"),
                my("INSERT ... ON DUPLICATE KEY UPDATE",
                        "INSERT INTO customers (id, name) VALUES (1, 'x') ON DUPLICATE KEY UPDATE name = VALUES(name)")
                        .tables("shop.customers:WRITE").writes("shop.customers.id", "shop.customers.name")
                        .reads("shop.customers.name").functions("values"),
                my("INSERT ... SET", "INSERT INTO customers SET id = 1, name = 'x'")
                        .tables("shop.customers:WRITE").writes("shop.customers.id", "shop.customers.name"),
                my("UPDATE WHERE 1 is unbounded", "UPDATE orders SET total = 1 WHERE 1")
                        .tables("shop.orders:WRITE").writes("shop.orders.total").unbounded().literalsMatter(),
                my("double-quoted text is a string in MySQL", "DELETE FROM orders WHERE \"a\" = \"a\"")
                        .tables("shop.orders:WRITE").writes("shop.orders.id", "shop.orders.customer_id", "shop.orders.total")
                        .unbounded().literalsMatter(),
                my("string comparison is case-insensitive", "DELETE FROM orders WHERE 'a' = 'A'")
                        .tables("shop.orders:WRITE").writes("shop.orders.id", "shop.orders.customer_id", "shop.orders.total")
                        .unbounded().literalsMatter(),
                my("DELETE without WHERE", "DELETE FROM customers")
                        .tables("shop.customers:WRITE").writes("shop.customers.id", "shop.customers.name", "shop.customers.card")
                        .unbounded(),
                my("bounded UPDATE with LIMIT", "UPDATE customers SET name = 'y' WHERE id = 4 ORDER BY name LIMIT 1")
                        .tables("shop.customers:WRITE").writes("shop.customers.name").reads("shop.customers.id", "shop.customers.name"),
                my("no current database is incomplete", "SELECT a FROM t").path()
                        .tables("(none).t:READ").reads("(none).t.a").incomplete(),
                my("functions lower-cased", "SELECT CONCAT(name, card), LOAD_FILE('/etc/passwd') FROM customers")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.card")
                        .functions("concat", "load_file"),
                my("CTE", "WITH c AS (SELECT id, card FROM customers) SELECT card FROM c")
                        .tables("shop.customers:READ").reads("shop.customers.card"),
                my("UNION", "SELECT name FROM customers UNION ALL SELECT `Title` FROM `Products`")
                        .tables("shop.customers:READ", "shop.products:READ").reads("shop.customers.name", "shop.products.title"),
                my("derived table", "SELECT d.c FROM (SELECT card AS c FROM customers) AS d")
                        .tables("shop.customers:READ").reads("shop.customers.card"),
                my("REPLACE ... SELECT", "REPLACE INTO customers SELECT id, name, card FROM customers WHERE id = 2")
                        .tables("shop.customers:READ,WRITE")
                        .writes("shop.customers.id", "shop.customers.name", "shop.customers.card")
                        .reads("shop.customers.id", "shop.customers.name", "shop.customers.card"),
                my("JSON_OBJECT and GROUP_CONCAT read their arguments",
                        "SELECT JSON_OBJECT('n', name), GROUP_CONCAT(card ORDER BY id SEPARATOR ',') FROM customers")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.card", "shop.customers.id")
                        .functions("json_object", "group_concat"),
                my("subqueries in IN lists, HAVING and ORDER BY",
                        "SELECT id FROM orders WHERE id IN (1, (SELECT id FROM customers WHERE card = 'q')) "
                                + "GROUP BY id HAVING count(*) > (SELECT count(*) FROM customers WHERE name = 'z') "
                                + "ORDER BY (SELECT total FROM orders LIMIT 1)")
                        .tables("shop.orders:READ", "shop.customers:READ")
                        .reads("shop.orders.id", "shop.customers.id", "shop.customers.card", "shop.customers.name",
                                "shop.orders.total")
                        .functions("count"),
                my("backslash in a double-quoted string cannot hide a function: both readings are read",
                        "SELECT \"a\\\"\", load_file('x') -- \"").functions("load_file").literalsMatter()
                        .incomplete(), // and ANSI_QUOTES reads it a third way, which has no exact reading here
                my("the NO_BACKSLASH_ESCAPES reading is reported when it is the only valid one",
                        "SELECT 'a\\', load_file('x') -- '").functions("load_file"),
                my("escaped quote in a string", "SELECT name FROM customers WHERE card = 'it\\'s'")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.card"),
                my("both backslash readings are united", "SELECT name FROM customers WHERE card = 'C:\\dir'")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.card").literalsMatter(),
                my("an executable comment is read as code", "SELECT name /*!50000 , card */ FROM customers")
                        .tables("shop.customers:READ").reads("shop.customers.name", "shop.customers.card"),
                my("an optimizer hint is an ordinary comment", "SELECT /*+ NO_INDEX(customers) */ name FROM customers")
                        .tables("shop.customers:READ").reads("shop.customers.name"),
                my("TRUNCATE TABLE", "TRUNCATE TABLE orders")
                        .tables("shop.orders:DDL").writes("shop.orders.id", "shop.orders.customer_id", "shop.orders.total").unbounded());
    }

    /**
     * MySQL text read exactly as the server reads it: JSqlParser gets text rebuilt from the lexer's tokens, so
     * comments, {@code --1}, backslashes and executable comments cannot hide or invent a column. Each case's
     * reading was checked against MariaDB 10.11.
     */
    static Stream<LineageCase> mysqlReadingCases() {
        String users = "shop.users:READ";
        return Stream.of(
                my("--1 is minus minus one, not a comment", "SELECT id --1, ssn FROM users")
                        .tables(users).reads("shop.users.id", "shop.users.ssn"),
                my("-- with a space is a comment to the end of the line", "SELECT id -- , ssn\n FROM users")
                        .tables(users).reads("shop.users.id"),
                my("-- with a tab is a comment", "SELECT id --\t, ssn\n FROM users")
                        .tables(users).reads("shop.users.id"),
                my("a block comment between columns", "SELECT id /* x */, ssn FROM users")
                        .tables(users).reads("shop.users.id", "shop.users.ssn"),
                my("# is a comment to the end of the line", "SELECT id #, ssn\n FROM users")
                        .tables(users).reads("shop.users.id"),
                my("# inside a string is text", "SELECT '#', ssn FROM users")
                        .tables(users).reads("shop.users.ssn"),
                my("a string ending in an escaped backslash", "SELECT 'a\\\\' , ssn FROM users")
                        .tables(users).reads("shop.users.ssn").literalsMatter(),
                my("an escaped quote does not end the string", "SELECT 'it\\'s', ssn FROM users")
                        .tables(users).reads("shop.users.ssn"),
                my("an escaped double quote in a double-quoted string (ANSI_QUOTES would read it otherwise)",
                        "SELECT \"a\\\"\" , ssn FROM users")
                        .tables(users).reads("shop.users.ssn").literalsMatter().incomplete(),
                my("text that lexes only without escapes is read that way (a NO_BACKSLASH_ESCAPES session runs it)",
                        "SELECT 'a\\', ssn FROM users WHERE '' = ' '")
                        .tables(users).reads("shop.users.ssn"),
                my("an executable comment hides a column", "SELECT id /*!50000 , ssn */ FROM users")
                        .tables(users).reads("shop.users.id", "shop.users.ssn"),
                my("an unversioned executable comment", "SELECT id /*! , ssn */ FROM users")
                        .tables(users).reads("shop.users.id", "shop.users.ssn"),
                my("a MariaDB executable comment", "SELECT id /*M!100000 , ssn */ FROM users")
                        .tables(users).reads("shop.users.id", "shop.users.ssn"),
                my("a skipped version comment holding */ in a string cannot be read one way",
                        "SELECT 1 /*!999999 '*/, ssn FROM users #' */").unparsed(),
                my("an optimizer hint is a comment", "SELECT /*+ BKA(users) */ ssn FROM users")
                        .tables(users).reads("shop.users.ssn"),
                my("adjacent strings are one string, so the name after them is an alias", "SELECT 'a' 'b' ssn FROM users")
                        .tables(users),
                my("a backticked name", "SELECT `SSN` FROM `users`").tables(users).reads("shop.users.ssn"),
                my("a double-quoted run is a column in an ANSI_QUOTES session", "SELECT \"ssn\" FROM users")
                        .tables(users).reads("shop.users.ssn").literalsMatter(),
                my("ANSI_QUOTES: a double-quoted name beside a string", "SELECT 'x' \"ssn\" FROM users WHERE id = 1")
                        .tables(users).reads("shop.users.id").literalsMatter(),
                my("a double-quoted run with a backslash has no exact ANSI_QUOTES reading", "SELECT \"a\\\\b\", id FROM users")
                        .tables(users).reads("shop.users.id").incomplete().literalsMatter(),
                my("a name starting with a digit is quoted for the parser", "SELECT 1e FROM users")
                        .tables(users).incomplete(),
                my("a name that looks like a hex number", "SELECT 0xyz FROM users").tables(users).incomplete(),
                my("a name holding a backtick cannot be given to the parser", "SELECT `a``b` FROM users").unparsed(),
                my("a character set introducer", "SELECT ssn FROM users WHERE email = _utf8mb4'x'")
                        .tables(users).reads("shop.users.ssn", "shop.users.email"),
                my("hex and bit literals", "SELECT ssn FROM users WHERE id = 0x1F OR id = X'1f' OR id = b'101' OR id = 0b11")
                        .tables(users).reads("shop.users.ssn", "shop.users.id"),
                my("SELECT ... INTO @variables reads its columns", "SELECT ssn INTO @x FROM users WHERE id = 1")
                        .tables(users).reads("shop.users.ssn", "shop.users.id"),
                my("SELECT ... INTO @variables at the end", "SELECT ssn, email FROM users WHERE id = 1 INTO @a, @b")
                        .tables(users).reads("shop.users.ssn", "shop.users.email", "shop.users.id"),
                my("rows that differ only in literals read what the first row reads",
                        "INSERT INTO users (id, ssn) VALUES (1, 'a'), (2, 'b'), (3, (SELECT card FROM customers LIMIT 1))")
                        .tables("shop.users:WRITE", "shop.customers:READ").writes("shop.users.id", "shop.users.ssn")
                        .reads("shop.customers.card"));
    }

    /** A MySQL column counts as read when its value can reach the result, a variable, a write, a predicate or an error. */
    static Stream<LineageCase> mysqlSoundnessCases() {
        String users = "shop.users:READ";
        String ordersAll = "shop.orders.id,shop.orders.customer_id,shop.orders.total";
        return Stream.of(
                my("SET @x = (SELECT ...) reads the subquery", "SET @x = (SELECT ssn FROM users WHERE id = 1)")
                        .tables(users).reads("shop.users.ssn", "shop.users.id"),
                my("SET @x := (SELECT ...) and a second variable", "SET @y = 2, @x := (SELECT ssn FROM users LIMIT 1)")
                        .tables(users).reads("shop.users.ssn"),
                my("SET of a system variable to a subquery",
                        "SET @@session.sql_select_limit = (SELECT count(*) FROM users WHERE ssn LIKE '1%')")
                        .tables(users).reads("shop.users.ssn").functions("count"),
                my("SET to a keyword value reads nothing", "SET sql_mode = ANSI"),
                my("SET NAMES reads nothing", "SET NAMES utf8mb4"),
                my("SET of a value computed from a subquery", "SET @x = concat('', (SELECT email FROM users LIMIT 1))")
                        .tables(users).reads("shop.users.email").functions("concat"),
                my("DO evaluates a subquery", "DO (SELECT ssn FROM users WHERE id = 1), SLEEP(0)")
                        .tables(users).reads("shop.users.ssn", "shop.users.id").functions("sleep"),
                my("SHOW TABLES WHERE with a subquery", "SHOW TABLES WHERE (SELECT ssn FROM users LIMIT 1) = 'x'")
                        .tables(users).reads("shop.users.ssn"),
                my("SHOW TABLES LIKE a subquery", "SHOW TABLES LIKE (SELECT ssn FROM users LIMIT 1)")
                        .tables(users).reads("shop.users.ssn"),
                my("SHOW TABLES WHERE on its own columns reads no table", "SHOW FULL TABLES WHERE Table_type = 'VIEW'"),
                my("other SHOW ... WHERE forms are not read", "SHOW VARIABLES WHERE (SELECT ssn FROM users LIMIT 1) = 'x'")
                        .unparsed(),
                my("NATURAL JOIN reads the compared columns of both tables",
                        "SELECT c.name FROM customers c NATURAL JOIN orders o")
                        .tables("shop.customers:READ", "shop.orders:READ")
                        .reads("shop.customers.name", "shop.customers.id", "shop.orders.id"),
                my("NATURAL JOIN with a table the catalog does not know is incomplete",
                        "SELECT c.name FROM customers c NATURAL JOIN unknown_t u")
                        .tables("shop.customers:READ", "shop.unknown_t:READ").reads("shop.customers.name").incomplete(),
                my("JOIN USING reads the column of both tables", "SELECT name FROM customers JOIN orders USING (id)")
                        .tables("shop.customers:READ", "shop.orders:READ")
                        .reads("shop.customers.name", "shop.customers.id", "shop.orders.id"),
                my("a derived table's column list renames its columns", "SELECT name FROM (SELECT ssn FROM users) AS u(name)")
                        .tables(users).reads("shop.users.ssn"),
                my("a CTE's column list renames its columns", "WITH u(name) AS (SELECT ssn FROM users) SELECT name FROM u")
                        .tables(users).reads("shop.users.ssn"),
                my("column statistics hand out column values",
                        "SELECT min_value, max_value FROM mysql.column_stats WHERE table_name = 'users'")
                        .tables("mysql.column_stats:READ")
                        .reads("mysql.column_stats.min_value", "mysql.column_stats.max_value", "mysql.column_stats.table_name")
                        .incomplete(),
                my("InnoDB index statistics", "SELECT * FROM mysql.innodb_index_stats")
                        .tables("mysql.innodb_index_stats:READ").incomplete(),
                my("MySQL histograms", "SELECT HISTOGRAM FROM information_schema.COLUMN_STATISTICS")
                        .tables("information_schema.column_statistics:READ")
                        .reads("information_schema.column_statistics.histogram").incomplete(),
                my("DROP DATABASE reaches every table of the database", "DROP DATABASE billing")
                        .tables("billing.*:DDL").incomplete(),
                my("DROP SCHEMA IF EXISTS with a quoted name", "DROP SCHEMA IF EXISTS `Billing`")
                        .tables("billing.*:DDL").incomplete(),
                my("ALTER DATABASE", "ALTER DATABASE billing CHARACTER SET utf8mb4")
                        .tables("billing.*:DDL").incomplete(),
                my("ALTER DATABASE without a name is the current database", "ALTER DATABASE CHARACTER SET utf8mb4")
                        .tables("shop.*:DDL").incomplete(),
                my("CREATE OR REPLACE DATABASE drops it first", "CREATE OR REPLACE DATABASE billing")
                        .tables("billing.*:DDL").incomplete(),
                my("WHERE (SELECT true) selects every row", "DELETE FROM orders WHERE (SELECT true)")
                        .tables("shop.orders:WRITE").writes(all(ordersAll)).unbounded().literalsMatter(),
                my("WHERE EXISTS (SELECT 1) selects every row", "DELETE FROM orders WHERE EXISTS (SELECT 1)")
                        .tables("shop.orders:WRITE").writes(all(ordersAll)).unbounded().literalsMatter(),
                my("WHERE 1 IN (SELECT 1) selects every row", "UPDATE orders SET total = 0 WHERE 1 IN (SELECT 1)")
                        .tables("shop.orders:WRITE").writes("shop.orders.total").unbounded().literalsMatter(),
                my("an uncorrelated subquery over a table has one value for every row",
                        "DELETE FROM orders WHERE EXISTS (SELECT 1 FROM customers WHERE card = 'x')")
                        .tables("shop.orders:WRITE", "shop.customers:READ").writes(all(ordersAll))
                        .reads("shop.customers.card").unbounded().literalsMatter(),
                my("a correlated subquery bounds the rows",
                        "DELETE FROM orders WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = orders.customer_id)")
                        .tables("shop.orders:WRITE", "shop.customers:READ").writes(all(ordersAll))
                        .reads("shop.customers.id", "shop.orders.customer_id"),
                my("a column compared with a subquery bounds the rows",
                        "UPDATE orders SET total = 0 WHERE customer_id IN (SELECT id FROM customers)")
                        .tables("shop.orders:WRITE", "shop.customers:READ").writes("shop.orders.total")
                        .reads("shop.orders.customer_id", "shop.customers.id"));
    }

    static Stream<LineageCase> emptyCatalogCases() {
        return Stream.of(
                pg("explicit columns resolve to the single table", "SELECT a, t.b FROM t WHERE c = 1")
                        .tables("public.t:READ").reads("public.t.a", "public.t.b", "public.t.c"),
                pg("aliases resolve columns across a join", "SELECT x.a FROM t1 x JOIN t2 y ON x.id = y.id")
                        .tables("public.t1:READ", "public.t2:READ").reads("public.t1.a", "public.t1.id", "public.t2.id"),
                pg("star reads every column, unnamed", "SELECT * FROM t").tables("public.t:READ").reads("public.t.*"),
                pg("DELETE removes every column, unnamed", "DELETE FROM t WHERE id = 1")
                        .tables("public.t:WRITE").reads("public.t.id").writes("public.t.*"),
                pg("INSERT with a column list is complete", "INSERT INTO t (a) VALUES (1)")
                        .tables("public.t:WRITE").writes("public.t.a"));
    }

    @TestFactory
    Stream<DynamicTest> postgres() {
        Catalog catalog = SchemaCatalog.fromStatements(PG_SCHEMA, Dialect.POSTGRES, "public");
        PgAnalyzer analyzer = new PgAnalyzer(catalog);
        return postgresCases().map(c -> dynamicTest(c.name, () -> c.check(lineage(analyzer, c))));
    }

    @TestFactory
    Stream<DynamicTest> mysql() {
        Catalog catalog = SchemaCatalog.fromStatements(MY_SCHEMA, Dialect.MYSQL, null);
        LineageAnalyzer analyzer = new LineageAnalyzer(Dialect.MYSQL, catalog);
        return mysqlCases().map(c -> dynamicTest(c.name, () -> c.check(analyzer.analyze(c.sql, c.path))));
    }

    @TestFactory
    Stream<DynamicTest> mysqlReading() {
        Catalog catalog = SchemaCatalog.fromStatements(MY_SCHEMA, Dialect.MYSQL, null);
        LineageAnalyzer analyzer = new LineageAnalyzer(Dialect.MYSQL, catalog);
        return mysqlReadingCases().map(c -> dynamicTest(c.name, () -> c.check(analyzer.analyze(c.sql, c.path))));
    }

    @TestFactory
    Stream<DynamicTest> mysqlSoundness() {
        Catalog catalog = SchemaCatalog.fromStatements(MY_SCHEMA, Dialect.MYSQL, null);
        LineageAnalyzer analyzer = new LineageAnalyzer(Dialect.MYSQL, catalog);
        return mysqlSoundnessCases().map(c -> dynamicTest(c.name, () -> c.check(analyzer.analyze(c.sql, c.path))));
    }

    @TestFactory
    Stream<DynamicTest> emptyCatalog() {
        PgAnalyzer analyzer = new PgAnalyzer(Catalog.EMPTY);
        return emptyCatalogCases().map(c -> dynamicTest(c.name, () -> c.check(lineage(analyzer, c))));
    }

    /** PostgreSQL lineage as the analyzer reports it for a one-statement text (one reading: PostgreSQL's parser). */
    static Lineage lineage(PgAnalyzer analyzer, LineageCase c) {
        List<StatementInfo> infos = analyzer.analyze(c.sql, c.path);
        if (infos.size() != 1) {
            throw new AssertionError(c.name + ": expected one statement, got " + infos.size());
        }
        StatementInfo i = infos.get(0);
        return new Lineage(!i.isUnknown(), i.tables(), i.reads(), i.writes(), i.functions(), i.unbounded(),
                i.lineageComplete(), i.literalsMatter(), i.notes());
    }
}
