/**
 * Events of the request life cycle for hooks and other instances, and the verification of signed
 * inbound decisions (Slack, Teams).
 */
package dev.gatehouse.approvals.events;
