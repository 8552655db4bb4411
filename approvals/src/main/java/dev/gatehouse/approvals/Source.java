package dev.gatehouse.approvals;

import java.util.Objects;

/**
 * Where a held statement came from.
 *
 * @param channel       which Gatehouse front end saw it
 * @param clientAddress the client's address as the front end saw it (may be empty)
 * @param application   the client's application name (JDBC ApplicationName, PostgreSQL application_name)
 * @param database      the target database; part of an approval's scope
 */
public record Source(Channel channel, String clientAddress, String application, String database) {
    public Source {
        Objects.requireNonNull(channel, "channel");
        clientAddress = clientAddress == null ? "" : clientAddress;
        application = application == null ? "" : application;
        database = Objects.requireNonNull(database, "database");
    }

    /** The front ends that can open requests. */
    public enum Channel { DRIVER, PROXY }
}
