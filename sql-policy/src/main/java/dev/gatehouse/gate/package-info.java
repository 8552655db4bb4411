/**
 * The cached front door of the policy library: {@link dev.gatehouse.gate.Gate} reads a submission once, decides it
 * by the policy, and keeps the decision by the statement's shape (bounded Caffeine cache), so a repeated statement
 * costs one lookup. No I/O; thread-safe.
 */
package dev.gatehouse.gate;
