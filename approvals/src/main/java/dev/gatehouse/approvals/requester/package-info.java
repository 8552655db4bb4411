/**
 * The requester API's client and wire format: a front end's {@link dev.gatehouse.approvals.RequesterPort} over
 * {@code gatehouse serve}, with a requester credential and no store.
 */
package dev.gatehouse.approvals.requester;
