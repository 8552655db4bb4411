package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds the engine's input directly, as the analyzer would report it. */
public final class Stmt {
    private final String operation;
    private final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    private final List<TableAccess> tables = new ArrayList<>();
    private final Set<ColumnName> reads = new HashSet<>();
    private final Set<ColumnName> writes = new HashSet<>();
    private final Set<String> functions = new HashSet<>();
    private boolean unbounded;
    private boolean complete = true;
    private boolean literalsMatter;
    private String sql;

    private Stmt(String operation, Kind... kinds) {
        this.operation = operation;
        this.kinds.addAll(List.of(kinds));
        this.sql = operation + " ...";
    }

    public static Stmt of(String operation, Kind... kinds) {
        return new Stmt(operation, kinds);
    }

    public static StatementInfo unknown(String sql) {
        return new StatementInfo(sql, Set.of(Kind.UNKNOWN), "UNKNOWN", List.of(), Set.of(), Set.of(), Set.of(),
                false, false, false, List.of("could not read it"));
    }

    public Stmt sql(String text) {
        this.sql = text;
        return this;
    }

    public Stmt table(String qualified, TableUse use) {
        tables.add(new TableAccess(name(qualified), Set.of(use)));
        return this;
    }

    public Stmt read(String column) {
        reads.add(column(column));
        return this;
    }

    public Stmt write(String column) {
        writes.add(column(column));
        return this;
    }

    public Stmt function(String name) {
        functions.add(name);
        return this;
    }

    public Stmt unbounded() {
        unbounded = true;
        return this;
    }

    public Stmt incomplete() {
        complete = false;
        return this;
    }

    public Stmt literalsMatter() {
        literalsMatter = true;
        return this;
    }

    public StatementInfo build() {
        return new StatementInfo(sql, kinds, operation, tables, reads, writes, functions, unbounded, complete,
                literalsMatter, List.of());
    }

    private static TableName name(String qualified) {
        int dot = qualified.indexOf('.');
        return new TableName(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    private static ColumnName column(String qualified) {
        int last = qualified.lastIndexOf('.');
        return new ColumnName(name(qualified.substring(0, last)), qualified.substring(last + 1));
    }
}
