/**
 * What the policy sees of a text: one {@link dev.gatehouse.sql.analysis.StatementInfo} per statement
 * (kinds, operation, tables, columns, functions, session changes), made by
 * {@link dev.gatehouse.sql.analysis.Analyzer} for either dialect.
 */
package dev.gatehouse.sql.analysis;
