package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.analysis.Kind;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Mutable collector for one classification; confined to the calling thread. */
final class Findings {
    final EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
    final Set<String> functions = new LinkedHashSet<>();
    final Set<String> riskyFunctions = new LinkedHashSet<>();
    final List<String> notes = new ArrayList<>(1);
    String operation;
    boolean unbounded;
    boolean literalsMatter;
    boolean hiddenTables;
    SessionChange change = SessionChange.NONE;

    void add(Kind kind) {
        kinds.add(kind);
    }

    void add(Kind a, Kind b) {
        kinds.add(a);
        kinds.add(b);
    }

    void unknown(String why) {
        kinds.add(Kind.UNKNOWN);
        notes.add(why);
    }

    void operation(String op) {
        if (operation == null) {
            operation = op;
        }
    }

    Classification toClassification() {
        if (kinds.isEmpty()) {
            unknown("no kind recognised");
        }
        return new Classification(kinds, operation == null ? "UNKNOWN" : operation, functions, riskyFunctions,
                unbounded, literalsMatter, notes, change,
                hiddenTables);
    }
}
