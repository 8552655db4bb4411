/**
 * The seam every front end calls: an {@link dev.gatehouse.enforce.guard.Execution} (what is about
 * to run, in which {@link dev.gatehouse.enforce.guard.SessionState}) in, an outcome out; the production
 * {@link dev.gatehouse.enforce.guard.PolicyGuard} over the checkpoint.
 */
package dev.gatehouse.enforce.guard;
