/**
 * Build time only: the annotation processor that writes the JDBC driver's pass-through base classes, so the
 * driver's wrappers ({@code Guarded*}) hold only the methods that add behaviour and no hand-written delegation.
 * See {@link dev.gatehouse.passthrough.PassThrough}. The driver names it as an annotation processor and a
 * provided dependency; nothing of it is on the driver's run-time class path.
 */
package dev.gatehouse.passthrough;
