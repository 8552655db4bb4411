package dev.gatehouse.sql.analysis;

/** How a statement uses a table. */
public enum TableUse { READ, WRITE, DDL }
