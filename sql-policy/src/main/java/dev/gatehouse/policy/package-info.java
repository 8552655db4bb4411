/**
 * Policy as code: the YAML policy ({@link dev.gatehouse.policy.Policy}, loaded and checked by
 * {@link dev.gatehouse.policy.PolicyLoader}), its rules and matches, and the engine that turns a read statement into
 * a {@link dev.gatehouse.policy.Decision} with the rules that fired and an explanation. Every matching rule counts;
 * the strictest action wins. No I/O beyond reading the policy file.
 */
package dev.gatehouse.policy;
