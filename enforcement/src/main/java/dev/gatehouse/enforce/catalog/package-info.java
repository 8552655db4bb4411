/**
 * The live catalog both front ends resolve names against: tables, views and their columns read from the database
 * itself ({@link dev.gatehouse.enforce.catalog.LiveCatalog} over a {@link dev.gatehouse.enforce.catalog.RelationSource}).
 * The JDBC driver reads over the client's own connection; the wire proxy over connections of its own, one per
 * database, as a catalog user ({@link dev.gatehouse.enforce.catalog.UpstreamCatalogs}), and picks each session's
 * database's way through the checkpoint ({@link dev.gatehouse.enforce.catalog.DatabaseCheckpoints}). JDBC only
 * ({@code java.sql}); the vendor's driver is the front end's.
 */
package dev.gatehouse.enforce.catalog;
