/**
 * The durable store (HikariCP; embedded H2 by default, PostgreSQL for several instances): schema
 * migrations, requests, and the breaker that fails fast while the store is down.
 */
package dev.gatehouse.approvals.store;
