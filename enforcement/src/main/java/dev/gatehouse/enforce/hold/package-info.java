/**
 * The one hold loop: a held statement waits for its approval in slices, notices a client that went
 * away, is cancellable from other threads, and withdraws only what no other waiter shares.
 */
package dev.gatehouse.enforce.hold;
