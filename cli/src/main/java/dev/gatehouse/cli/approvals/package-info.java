/**
 * {@code serve} (approvals API, page, hooks and the wire proxy in one process), {@code proxy} (the wire proxy on a
 * host of its own, with a requester credential for serve's API), and the commands over the store and the API:
 * {@code approvals}, {@code approver}, {@code requester}, {@code audit}.
 */
package dev.gatehouse.cli.approvals;
