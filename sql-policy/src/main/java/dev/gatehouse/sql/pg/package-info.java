/**
 * PostgreSQL read by PostgreSQL's own parser: libpg_query (the PostgreSQL 15 grammar) linked
 * into a small JNI library ({@code src/main/c}), loaded by {@link dev.gatehouse.sql.pg.PgNativeLoader}. One reading
 * gives statements, kinds, lineage, session changes, PL/pgSQL bodies, the cache's shape key and audit redaction.
 * Where the library cannot load, every PostgreSQL statement is unread (fail closed).
 */
package dev.gatehouse.sql.pg;
