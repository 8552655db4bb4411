/**
 * Approval requests and their life: open or join, wait, vote with quorum, claim once, withdraw,
 * expire ({@link dev.gatehouse.approvals.ApprovalService}); the durable store, the HTTP API and page, web hooks and
 * the hash-chained audit live in the sub-packages. Front ends reach it through the enforcement core, by the
 * requester's port ({@link dev.gatehouse.approvals.RequesterPort}): embedded, or serve's requester API
 * ({@code requester}), which holds no approval power.
 */
package dev.gatehouse.approvals;
