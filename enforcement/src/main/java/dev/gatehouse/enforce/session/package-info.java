/**
 * Session tracking both front ends share: what a text changes in the session, and settings given
 * at connect time read as the SET statements they are.
 */
package dev.gatehouse.enforce.session;
