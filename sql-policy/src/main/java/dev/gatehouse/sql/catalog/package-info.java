/**
 * The relations and columns names resolve against: a schema file (CREATE statements, or a pg_dump
 * schema read by {@link dev.gatehouse.sql.catalog.PgSchemaReader}) or a live catalog a front end reads; versioned,
 * so a decision made against another schema is never reused.
 */
package dev.gatehouse.sql.catalog;
