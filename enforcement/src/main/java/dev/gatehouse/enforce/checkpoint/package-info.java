/**
 * The one place that turns "this SQL, with these values, from this caller" into allow, deny, held
 * or failed for every front end: the cached policy gate decides, the approvals service opens, joins and claims
 * requests and keeps the audit.
 */
package dev.gatehouse.enforce.checkpoint;
