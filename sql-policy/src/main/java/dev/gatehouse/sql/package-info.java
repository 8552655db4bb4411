/**
 * Reading SQL as the database reads it. PostgreSQL is read by PostgreSQL's own parser
 * (libpg_query, {@code pg}); MySQL/MariaDB by the dialect-exact lexer ({@code lex}) and JSqlParser. What a
 * statement is and touches ({@code analysis}), classified ({@code classify}), with column lineage against a
 * catalog ({@code lineage}, {@code catalog}). Pure library: no I/O.
 */
package dev.gatehouse.sql;
