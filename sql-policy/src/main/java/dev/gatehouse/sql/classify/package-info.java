/**
 * MySQL/MariaDB classification over the policy's lexer (statement kinds, session changes,
 * risky functions); {@link dev.gatehouse.sql.classify.Builtins} lists the risky functions both dialects share.
 */
package dev.gatehouse.sql.classify;
