/**
 * A strict view over Jackson's YAML tree for the policy loader: unknown keys, wrong types and
 * duplicate keys are errors with a path, never ignored.
 */
package dev.gatehouse.policy.yaml;
