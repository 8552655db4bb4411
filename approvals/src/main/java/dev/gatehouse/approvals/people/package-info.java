/**
 * Approvers: the policy's groups and the tokens people authenticate with.
 */
package dev.gatehouse.approvals.people;
