package dev.gatehouse.enforce.catalog;

import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;

import java.util.List;

/**
 * The way a statement takes through the checkpoint, chosen by the database its session is connected to: a front
 * end that serves several databases (the wire proxy) resolves each one's names against that database's catalog.
 * The methods are {@link ClientCheckpoint}'s, with the database in front.
 *
 * <p>Threads: shared by every session; each call runs on the asking session's thread.
 */
public sealed interface DatabaseCheckpoints permits DatabaseCheckpoints.Same, UpstreamCatalogs {

    /** Every database through one client (one catalog for all: a schema file, or none). */
    static DatabaseCheckpoints same(ClientCheckpoint client) {
        return new Same(client);
    }

    /** As {@link ClientCheckpoint#classify(String, String, String, Caller)}, for a session of {@code database}. */
    Outcome classify(String database, String sql, String defaultSchema, String sessionUser, Caller caller);

    /** As {@link ClientCheckpoint#check(String, List, String, String, Caller)}, for a session of {@code database}. */
    Outcome check(String database, String sql, List<?> parameters, String defaultSchema, String sessionUser,
                  Caller caller);

    /** One client for every database. */
    record Same(ClientCheckpoint client) implements DatabaseCheckpoints {
        @Override
        public Outcome classify(String database, String sql, String defaultSchema, String sessionUser, Caller caller) {
            return client.classify(sql, defaultSchema, sessionUser, caller);
        }

        @Override
        public Outcome check(String database, String sql, List<?> parameters, String defaultSchema, String sessionUser,
                             Caller caller) {
            return client.check(sql, parameters, defaultSchema, sessionUser, caller);
        }
    }
}
