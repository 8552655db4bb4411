package dev.gatehouse.proxy.session;

import java.util.Map;

/**
 * One change to the session's prepared statements (or a portal Close) on its way to the server, with what the
 * proxy assumed when it sent it. The server answers each change that runs ('1' ParseComplete, '3' CloseComplete,
 * or a CommandComplete tagged PREPARE, DEALLOCATE, DEALLOCATE ALL or DISCARD ALL); a change still unanswered
 * when its group's ReadyForQuery arrives was skipped or failed. Neither PREPARE nor DEALLOCATE is
 * transactional, so the answer to the change itself, not the group's fate or a later ROLLBACK, is what counts.
 *
 * <p>Threads: made on the client reader, which alone reads and writes the statement map; the relay only
 * matches it to an answer and passes it back (see {@link ResponseTracker.Correction}).
 *
 * @param kind           what it does
 * @param name           the statement's (or portal's) name, exactly as the server stores it; null for the *_ALL kinds
 * @param statement      PARSE and PREPARE: the statement it creates; CLOSE_STATEMENT and DEALLOCATE: the one it
 *                       removes; null when the proxy knew of none (or for the proxy's own deliberate failure)
 * @param removed        DEALLOCATE_ALL and DISCARD_ALL: every statement it removes; otherwise null
 * @param expectedToFail the proxy expects the server to refuse it (a second statement of a known name, or
 *                       DEALLOCATE of an unknown one) and left its map as it was
 */
record NamespaceChange(Kind kind, String name, PreparedStatements.Statement statement,
                       Map<String, PreparedStatements.Statement> removed, boolean expectedToFail)
        implements ResponseTracker.Expected {

    enum Kind {
        PARSE, CLOSE_STATEMENT, CLOSE_PORTAL, PREPARE, DEALLOCATE, DEALLOCATE_ALL, DISCARD_ALL;

        /** The backend message type that answers it: '1', '3', or 'C' (a CommandComplete with the kind's tag). */
        byte answer() {
            return switch (this) {
                case PARSE -> '1';
                case CLOSE_STATEMENT, CLOSE_PORTAL -> '3';
                case PREPARE, DEALLOCATE, DEALLOCATE_ALL, DISCARD_ALL -> 'C';
            };
        }
    }

    /** The proxy's own deliberate failure (see {@link Refusals}): it always fails and changes nothing. */
    static final NamespaceChange REFUSAL = new NamespaceChange(Kind.PARSE, "", null, null, true);
}
