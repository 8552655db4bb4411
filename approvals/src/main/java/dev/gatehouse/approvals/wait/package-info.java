/**
 * How a waiter learns a decision: local rendezvous by request, and PostgreSQL LISTEN/NOTIFY across
 * instances.
 */
package dev.gatehouse.approvals.wait;
