/**
 * The approvals HTTP API and the DBA page (JDK HTTP server): list, show, approve, deny for people, what each may
 * see; the requester API for front ends ({@link dev.gatehouse.approvals.http.RequesterRoutes}); refusals audited
 * ({@link dev.gatehouse.approvals.http.AccessAudit}); the SQL shown as it runs ({@code view.SqlView}).
 */
package dev.gatehouse.approvals.http;
