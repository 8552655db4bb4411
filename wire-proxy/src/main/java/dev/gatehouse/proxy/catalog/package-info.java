/**
 * The proxy's side of the live catalog: how it connects to the upstream server to read a database's catalog
 * ({@link dev.gatehouse.proxy.catalog.UpstreamConnector}), and how a session's confirmed DDL reaches that catalog
 * ({@link dev.gatehouse.proxy.catalog.SchemaWatch}). The catalogs themselves are the enforcement core's
 * ({@code dev.gatehouse.enforce.catalog}).
 */
package dev.gatehouse.proxy.catalog;
