package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.analysis.Kind;

import java.util.List;
import java.util.Set;

/**
 * What the token-level classifier found in one statement.
 *
 * @param kinds          never empty; {@code {UNKNOWN}} when the statement could not be read
 * @param operation      the leading verb in upper case (the main verb for WITH, EXPLAIN for EXPLAIN)
 * @param functions      names called (identifier directly followed by {@code (}), lower-cased, qualified as written
 * @param riskyFunctions the subset of calls that added a kind (pg_read_file, set_config, nextval, ...)
 * @param unbounded      TRUNCATE, or an UPDATE/DELETE without a top-level WHERE
 * @param literalsMatter a literal decided the kinds (a SET value, set_config's setting, a COPY target...)
 * @param change         what later statements of the submission must know (search path, prepared statements)
 * @param hiddenTables   the statement runs SQL text (query_to_xml('...'), dblink) whose tables and columns
 *                       no lineage sees: table and column rules must treat its lineage as incomplete
 */
public record Classification(Set<Kind> kinds, String operation, Set<String> functions, Set<String> riskyFunctions,
                             boolean unbounded, boolean literalsMatter, List<String> notes, SessionChange change,
                             boolean hiddenTables) {
    public Classification {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a classification has at least one kind");
        }
        kinds = Set.copyOf(kinds);
        functions = Set.copyOf(functions);
        riskyFunctions = Set.copyOf(riskyFunctions);
        notes = List.copyOf(notes);
    }

    public static Classification unknown(String operation, String why) {
        return new Classification(Set.of(Kind.UNKNOWN), operation, Set.of(), Set.of(), false, false, List.of(why),
                SessionChange.NONE, false);
    }
}
