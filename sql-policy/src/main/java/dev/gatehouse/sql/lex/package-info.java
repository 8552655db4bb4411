/**
 * The MySQL/MariaDB lexer and splitter, dialect-exact (comments, quoting, backslash escapes,
 * executable comments), and the shape fingerprint the decision cache keys MySQL texts by.
 */
package dev.gatehouse.sql.lex;
