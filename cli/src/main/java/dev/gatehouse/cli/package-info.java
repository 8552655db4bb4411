/**
 * {@code bin/gatehouse}: policy as code on the command line ({@code check}, {@code test}) and the
 * entry point of every command.
 */
package dev.gatehouse.cli;
