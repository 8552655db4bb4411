/**
 * Session tracking both front ends share: what a SQL text does to the session besides data ({@link
 * dev.gatehouse.enforce.session.SqlScan}: prepared statements created, dropped and run, settings changed, schema
 * changes, transaction ends), read by the policy library's own readers (PostgreSQL's scanner and parser for
 * PostgreSQL, the MySQL lexer for MySQL), and settings given at connect time read as the SET statements they are
 * ({@link dev.gatehouse.enforce.session.StartupSettings}). The proxy and the driver apply what it reports; neither
 * reads SQL itself.
 */
package dev.gatehouse.enforce.session;
