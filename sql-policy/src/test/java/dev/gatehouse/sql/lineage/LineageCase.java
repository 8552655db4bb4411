package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableUse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One named lineage expectation. Every field of the result is compared, so a case fails on anything extra
 * as well as on anything missing. Tables are written {@code schema.name:USE[,USE]}.
 */
final class LineageCase {
    final String name;
    final Dialect dialect;
    final String sql;
    List<String> path;
    private Set<String> tables = new TreeSet<>();
    private Set<String> reads = new TreeSet<>();
    private Set<String> writes = new TreeSet<>();
    private Set<String> functions = new TreeSet<>();
    private boolean unbounded;
    private boolean complete = true;
    private boolean literalsMatter;
    private boolean parsed = true;

    private LineageCase(String name, Dialect dialect, String sql, List<String> path) {
        this.name = name;
        this.dialect = dialect;
        this.sql = sql;
        this.path = path;
    }

    static LineageCase pg(String name, String sql) {
        return new LineageCase(name, Dialect.POSTGRES, sql, List.of("public"));
    }

    static LineageCase my(String name, String sql) {
        return new LineageCase(name, Dialect.MYSQL, sql, List.of("shop"));
    }

    LineageCase path(String... schemas) {
        path = List.of(schemas);
        return this;
    }

    LineageCase tables(String... expected) {
        tables.addAll(List.of(expected));
        return this;
    }

    LineageCase reads(String... expected) {
        reads.addAll(List.of(expected));
        return this;
    }

    LineageCase writes(String... expected) {
        writes.addAll(List.of(expected));
        return this;
    }

    LineageCase functions(String... expected) {
        functions.addAll(List.of(expected));
        return this;
    }

    LineageCase unbounded() {
        unbounded = true;
        return this;
    }

    LineageCase literalsMatter() {
        literalsMatter = true;
        return this;
    }

    LineageCase incomplete() {
        complete = false;
        return this;
    }

    LineageCase unparsed() {
        parsed = false;
        complete = false;
        return this;
    }

    void check(Lineage actual) {
        String context = name + " [" + sql + "] notes=" + actual.notes();
        assertEquals(parsed, actual.parsed(), "parsed: " + context);
        assertEquals(tables, tableStrings(actual.tables()), "tables: " + context);
        assertEquals(reads, columnStrings(actual.reads()), "reads: " + context);
        assertEquals(writes, columnStrings(actual.writes()), "writes: " + context);
        assertEquals(functions, new TreeSet<>(actual.functions()), "functions: " + context);
        assertEquals(unbounded, actual.unbounded(), "unbounded: " + context);
        assertEquals(complete, actual.complete(), "complete: " + context);
        assertEquals(literalsMatter, actual.literalsMatter(), "literalsMatter: " + context);
    }

    private static Set<String> tableStrings(List<TableAccess> accesses) {
        Set<String> out = new TreeSet<>();
        for (TableAccess a : accesses) {
            List<String> uses = new ArrayList<>();
            for (TableUse use : TableUse.values()) {
                if (a.uses().contains(use)) {
                    uses.add(use.name());
                }
            }
            out.add(a.table().qualified() + ":" + String.join(",", uses));
        }
        return out;
    }

    private static Set<String> columnStrings(Set<ColumnName> columns) {
        Set<String> out = new TreeSet<>();
        for (ColumnName c : columns) {
            out.add(c.qualified());
        }
        return out;
    }
}
