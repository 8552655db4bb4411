/**
 * {@code serve} (approvals API, page, hooks and the wire proxy in one process), and the operator
 * commands over the store: {@code approvals}, {@code approver}, {@code audit}.
 */
package dev.gatehouse.cli.approvals;
