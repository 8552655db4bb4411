package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.session.SessionEffect;
import dev.gatehouse.enforce.session.SqlScan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's prepared statements as the server holds them: ONE namespace for the protocol's Parse and Close
 * and for SQL's PREPARE, DEALLOCATE and DISCARD ALL, as in PostgreSQL (a {@code PREPARE p} is closed by a
 * protocol {@code Close('S', "p")}, and a Bind may name it). Names are compared exactly: the scanner gives them
 * as the server stores them (unquoted ASCII letters folded, nothing else).
 *
 * <p>Each change is applied when it is sent, as the server will apply it if it runs, and handed to the
 * {@link ResponseTracker} as a {@link NamespaceChange}; when the server's answer says otherwise the change is
 * undone or applied ({@link #correct}). Within one group a wrong guess is harmless (after an error the server
 * skips the rest of the group, so nothing decided on the guess runs); a later group looks a name up only after
 * the answers it depends on are in ({@link Upstream#awaitNamedChanges}, {@link #needsAnswers}).
 *
 * <p>Bounded by the configured maximum. Threads: the session's client reader only; the relay sets
 * {@link Statement#confirmed}.
 */
final class PreparedStatements {

    /** A prepared statement, with its scan done once (a named statement is executed many times). */
    static final class Statement {
        final String sql;
        /** The types declared at Parse; null for a SQL-level PREPARE (the proxy does not read its type list). */
        final int[] parameterTypes;
        final SqlScan scan;
        /** The group that created it ({@link ResponseTracker#group()}). */
        final long group;
        /** The server confirmed creating it; set by the relay. */
        volatile boolean confirmed;

        Statement(String sql, int[] parameterTypes, SqlScan scan, long group) {
            this.sql = sql;
            this.parameterTypes = parameterTypes;
            this.scan = scan;
            this.group = group;
        }
    }

    private final int maxStatements;
    private final Map<String, Statement> byName = new HashMap<>();
    private final Portals portals;

    PreparedStatements(int maxStatements, Portals portals) {
        this.maxStatements = maxStatements;
        this.portals = portals;
    }

    /** Hot path: the statement the server holds under {@code name} as far as the proxy knows, or null. */
    Statement get(String name) {
        return byName.get(name);
    }

    /**
     * True when {@code statement} (the lookup of a name, possibly null) may not be what the server holds once
     * earlier groups are answered: created by an earlier group and not confirmed, or absent or possibly changed
     * while earlier groups that changed names are unanswered.
     */
    static boolean needsAnswers(Statement statement, ResponseTracker tracker) {
        if (statement == null || tracker.namedUnsettled()) {
            return tracker.outstanding() > 0;
        }
        return !statement.confirmed && statement.group != tracker.group();
    }

    /**
     * A Parse about to be sent; null when the session already holds the maximum. A second statement of a
     * known name is refused by the server: the change then expects to fail and the first stays.
     */
    NamespaceChange parse(String name, String sql, int[] types, long group) {
        Statement previous = byName.get(name);
        boolean unnamed = name.isEmpty();
        if (previous == null && byName.size() >= maxStatements) {
            return null;
        }
        // Hot path: clients re-parse the unnamed statement with the same text query after query; scan it once.
        SqlScan scan = previous != null && previous.sql.equals(sql) ? previous.scan : SqlScan.of(sql);
        Statement statement = new Statement(sql, types, scan, group);
        if (previous != null && !unnamed) {
            return new NamespaceChange(NamespaceChange.Kind.PARSE, name, statement, null, true);
        }
        byName.put(name, statement);
        return new NamespaceChange(NamespaceChange.Kind.PARSE, name, statement, null, false);
    }

    /** A Close about to be sent (closing what does not exist is no error). */
    NamespaceChange close(byte target, String name) {
        if (target == 'P') {
            portals.close(name);
            return new NamespaceChange(NamespaceChange.Kind.CLOSE_PORTAL, name, null, null, false);
        }
        return new NamespaceChange(NamespaceChange.Kind.CLOSE_STATEMENT, name, byName.remove(name), null, false);
    }

    /**
     * The changes a statement the server is about to run makes (PREPARE, DEALLOCATE, DISCARD ALL), applied now,
     * in the text's order; empty for nearly every statement.
     */
    List<NamespaceChange> run(SqlScan scan, long group) {
        List<NamespaceChange> changes = null;
        for (SessionEffect effect : scan.effects()) {
            NamespaceChange change = switch (effect) {
                case SessionEffect.Prepare p -> prepare(p, group);
                case SessionEffect.Deallocate d -> d.name() == null
                        ? new NamespaceChange(NamespaceChange.Kind.DEALLOCATE_ALL, null, null, dropAll(), false)
                        : deallocate(d.name());
                case SessionEffect.DiscardAll d -> {
                    portals.clear();
                    yield new NamespaceChange(NamespaceChange.Kind.DISCARD_ALL, null, null, dropAll(), false);
                }
                case SessionEffect.Setting setting -> null;
                case SessionEffect.ResetAll r -> null;
                case SessionEffect.Unreadable u -> {
                    // What the text prepared or dropped is unknown: trust no name from here on (not undone).
                    dropAll();
                    yield null;
                }
            };
            if (change != null) {
                if (changes == null) {
                    changes = new ArrayList<>(2);
                }
                changes.add(change);
            }
        }
        return changes == null ? List.of() : changes;
    }

    private NamespaceChange prepare(SessionEffect.Prepare p, long group) {
        Statement statement = new Statement(p.body(), null, SqlScan.of(p.body()), group);
        if (byName.containsKey(p.name())) {
            return new NamespaceChange(NamespaceChange.Kind.PREPARE, p.name(), statement, null, true);
        }
        if (byName.size() >= maxStatements) {
            // Not tracked: the proxy will not know the name, and refuses to decide on it (fail closed).
            return new NamespaceChange(NamespaceChange.Kind.PREPARE, p.name(), null, null, false);
        }
        byName.put(p.name(), statement);
        return new NamespaceChange(NamespaceChange.Kind.PREPARE, p.name(), statement, null, false);
    }

    private NamespaceChange deallocate(String name) {
        Statement removed = byName.remove(name);
        return new NamespaceChange(NamespaceChange.Kind.DEALLOCATE, name, removed, null, removed == null);
    }

    private Map<String, Statement> dropAll() {
        Map<String, Statement> all = new HashMap<>(byName);
        byName.clear();
        return all;
    }

    /** The server's answer differed from the assumption: undo or apply the change, in the server's order. */
    void correct(ResponseTracker.Correction correction) {
        NamespaceChange change = correction.change();
        if (change == null) { // LOST
            byName.clear();
            portals.clear();
        } else if (correction.undo()) {
            undo(change);
        } else {
            switch (change.kind()) { // it ran though the proxy expected a refusal
                case PARSE, PREPARE -> {
                    if (change.statement() != null) {
                        change.statement().confirmed = true;
                        byName.put(change.name(), change.statement());
                    }
                }
                case DEALLOCATE -> byName.remove(change.name());
                case CLOSE_STATEMENT, CLOSE_PORTAL, DEALLOCATE_ALL, DISCARD_ALL -> {
                    // never expected to fail
                }
            }
        }
    }

    /**
     * A change that did not run. The unnamed statement is not given back: a failed Parse of it drops the
     * previous one on the server, a skipped one keeps it, and the proxy cannot tell which (unknown refuses).
     */
    private void undo(NamespaceChange change) {
        switch (change.kind()) {
            case PARSE, PREPARE -> {
                if (change.statement() != null) {
                    byName.remove(change.name(), change.statement());
                }
            }
            case CLOSE_STATEMENT, DEALLOCATE -> {
                if (change.statement() != null) {
                    byName.putIfAbsent(change.name(), change.statement());
                }
            }
            case DEALLOCATE_ALL, DISCARD_ALL -> {
                for (Map.Entry<String, Statement> e : change.removed().entrySet()) {
                    byName.putIfAbsent(e.getKey(), e.getValue());
                }
            }
            case CLOSE_PORTAL -> {
                // The portal stays forgotten: an Execute of it is refused rather than decided on a guess.
            }
        }
    }

    /**
     * Hot path when a text EXECUTEs names: the body each {@code EXECUTE name} runs, null when unknown: the body
     * a PREPARE before that EXECUTE in the same text gives the name (the server runs a text's statements in
     * order), else the one this session holds.
     */
    List<String> bodies(SqlScan scan) {
        List<String> bodies = new ArrayList<>(scan.executed().size());
        for (int i = 0; i < scan.executed().size(); i++) {
            String inText = scan.preparedBefore(i);
            if (inText != null) {
                bodies.add(inText);
            } else {
                Statement held = byName.get(scan.executed().get(i));
                bodies.add(held == null ? null : held.sql);
            }
        }
        return bodies;
    }
}
