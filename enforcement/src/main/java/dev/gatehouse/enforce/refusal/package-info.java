/**
 * Why Gatehouse answers in place of a statement, with every SQLSTATE and message declared once;
 * the proxy sends them as ErrorResponses, the driver as SQLExceptions.
 */
package dev.gatehouse.enforce.refusal;
