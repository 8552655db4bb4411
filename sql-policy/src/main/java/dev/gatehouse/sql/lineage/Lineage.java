package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.RowCount;
import dev.gatehouse.sql.analysis.TableAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the parser-based analysis found in one statement.
 *
 * @param parsed   false when the parser could not read the statement; every other field is then empty
 * @param complete true when every table and column reference was resolved (stars expanded through the catalog...)
 * @param literalsMatter true when a literal decided part of the result (a constant-true WHERE for {@code unbounded})
 * @param rowCount what the server's row count tells of the rows a write of this form touches ({@link MysqlRowCount});
 *                 null when the statement is of no form that tells (its classification decides)
 */
public record Lineage(boolean parsed, List<TableAccess> tables, Set<ColumnName> reads, Set<ColumnName> writes,
                      Set<String> functions, boolean unbounded, boolean complete, boolean literalsMatter,
                      List<String> notes, RowCount rowCount) {
    /** A lineage that says nothing of row counts. */
    public Lineage(boolean parsed, List<TableAccess> tables, Set<ColumnName> reads, Set<ColumnName> writes,
                   Set<String> functions, boolean unbounded, boolean complete, boolean literalsMatter,
                   List<String> notes) {
        this(parsed, tables, reads, writes, functions, unbounded, complete, literalsMatter, notes, null);
    }

    public Lineage {
        tables = List.copyOf(tables);
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
        functions = Set.copyOf(functions);
        notes = List.copyOf(notes);
    }

    /** This lineage with one more note (how it was obtained). */
    public Lineage withNote(String note) {
        List<String> more = new ArrayList<>(notes.size() + 1);
        more.addAll(notes);
        more.add(note);
        return new Lineage(parsed, tables, reads, writes, functions, unbounded, complete, literalsMatter, more, rowCount);
    }

    /** This lineage with what the row count of its statement's form tells. */
    public Lineage withRowCount(RowCount count) {
        return new Lineage(parsed, tables, reads, writes, functions, unbounded, complete, literalsMatter, notes, count);
    }

    public static Lineage unparsed(String why) {
        return new Lineage(false, List.of(), Set.of(), Set.of(), Set.of(), false, false, false, List.of(why));
    }
}
