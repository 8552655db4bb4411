/**
 * The hash-chained audit log: records of every decision and request event, their canonical form,
 * anchors published outside the store, verification and export.
 */
package dev.gatehouse.approvals.audit;
