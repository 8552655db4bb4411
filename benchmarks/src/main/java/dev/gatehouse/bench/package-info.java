/**
 * JMH benchmarks of the hot paths (reading, deciding, the checkpoint, the driver); the end-to-end
 * benches are the scripts beside this module's pom.
 */
package dev.gatehouse.bench;
