/**
 * Who is who: the policy's approver groups, the credentials people and front ends authenticate with (approver,
 * admin, requester), and who may see which request.
 */
package dev.gatehouse.approvals.people;
