package dev.gatehouse.approvals;

import java.util.Locale;
import java.util.Objects;

/**
 * What a held statement would touch, shown to approvers next to its text: the rows Gatehouse counted when it ran
 * the write inside a savepoint and undid it, or else the planner's estimate ({@code EXPLAIN} without ANALYZE,
 * run on the session's own connection), or why neither is known. Always labelled, so nobody takes an estimate
 * for a count.
 *
 * <p>Threads: immutable; any thread.
 *
 * @param basis how it was obtained
 * @param rows  the rows counted or estimated; 0 when {@link Basis#UNKNOWN}
 * @param cost  the planner's total cost for an estimate that has one, else null
 * @param note  where it came from, or why it is not known
 */
public record Impact(Basis basis, long rows, Double cost, String note) {

    /** How an impact was obtained. */
    public enum Basis {
        /** Gatehouse ran it inside a savepoint, counted the rows the server reported, and rolled it back. */
        MEASURED,
        /** The planner's estimate; it ran nothing. */
        ESTIMATED,
        /** Neither: the note says why. */
        UNKNOWN;

        /** As stored and sent: lower case. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Basis ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public Impact {
        Objects.requireNonNull(basis, "basis");
        note = note == null ? "" : note;
        if (rows < 0) {
            throw new IllegalArgumentException("rows is at least 0");
        }
    }

    public static Impact measured(long rows) {
        return new Impact(Basis.MEASURED, rows, null, "counted inside a savepoint, then rolled back");
    }

    public static Impact estimated(long rows, Double cost, String note) {
        return new Impact(Basis.ESTIMATED, rows, cost, note);
    }

    public static Impact unknown(String why) {
        return new Impact(Basis.UNKNOWN, 0, null, why);
    }

    /**
     * The JSON shape every surface uses (the API, hook messages, audit records): {@code basis}, {@code rows},
     * {@code cost}, {@code note} and {@code summary} (the line {@link #describe} gives).
     */
    public java.util.Map<String, Object> fields() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("basis", basis.wire());
        m.put("rows", basis == Basis.UNKNOWN ? null : rows);
        m.put("cost", cost);
        m.put("note", note);
        m.put("summary", describe());
        return m;
    }

    /** One line for people, the same on the page, in the terminal and in chat messages. */
    public String describe() {
        String n = rows + (rows == 1 ? " row" : " rows");
        return switch (basis) {
            case MEASURED -> n + " (measured: " + note + ")";
            case ESTIMATED -> "about " + n + (cost == null ? "" : String.format(Locale.ROOT, ", cost %.2f", cost))
                    + " (estimated" + (note.isEmpty() ? "" : ": " + note) + ")";
            case UNKNOWN -> "not known (" + note + ")";
        };
    }
}
