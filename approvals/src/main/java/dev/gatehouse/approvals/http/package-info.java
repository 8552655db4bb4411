/**
 * The approvals HTTP API and the DBA page (JDK HTTP server): list, show, approve, deny; the SQL
 * shown as it runs ({@link dev.gatehouse.approvals.http.SqlLayout}).
 */
package dev.gatehouse.approvals.http;
