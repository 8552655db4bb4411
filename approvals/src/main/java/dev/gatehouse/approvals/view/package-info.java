/**
 * A held submission as approvers are shown it on every channel: the exact text cut into the server's statements,
 * comments marked, look-alike characters by code point, bound values beside their placeholders.
 */
package dev.gatehouse.approvals.view;
