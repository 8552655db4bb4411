package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;
import dev.gatehouse.sql.lineage.Lineage;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * MySQL/MariaDB keep accounts and privileges in ordinary tables of the {@code mysql} database. Writing them
 * ({@code INSERT INTO mysql.user ...}, {@code UPDATE mysql.global_priv ...}, then {@code FLUSH PRIVILEGES}) grants
 * what GRANT would, and changing them is a schema change of the server's own: such statements are PRIVILEGE and
 * DDL as well as WRITE. Stateless; any thread.
 */
public final class GrantTables {
    private static final Set<String> NAMES = Set.of("user", "db", "tables_priv", "columns_priv", "global_priv",
            "roles_mapping", "proxies_priv", "procs_priv");

    private GrantTables() {
    }

    /**
     * Hot path: {@code c} with PRIVILEGE and DDL added when the statement writes or changes a grant table. The
     * lineage's resolved tables decide (they know the current database); when the parser could not read the
     * statement, a write naming {@code mysql.<grant table>} anywhere is enough (fail closed).
     */
    public static Classification widen(Classification c, Lineage lineage, Tokens tokens, Span span) {
        if (tokens.dialect() != Dialect.MYSQL || c.kinds().contains(Kind.PRIVILEGE) && c.kinds().contains(Kind.DDL)) {
            return c;
        }
        boolean grants = lineage.parsed() ? writesGrantTable(lineage) : namesGrantTable(c, tokens, span);
        if (!grants) {
            return c;
        }
        EnumSet<Kind> kinds = EnumSet.copyOf(c.kinds());
        kinds.add(Kind.PRIVILEGE);
        kinds.add(Kind.DDL);
        List<String> notes = new ArrayList<>(c.notes());
        notes.add("writes a grant table of the mysql database");
        return new Classification(kinds, c.operation(), c.functions(), c.riskyFunctions(), c.unbounded(),
                c.literalsMatter(), notes, c.change(), c.hiddenTables());
    }

    private static boolean writesGrantTable(Lineage lineage) {
        for (TableAccess access : lineage.tables()) {
            if ((access.uses().contains(TableUse.WRITE) || access.uses().contains(TableUse.DDL))
                    && access.table().schema().equals("mysql") && NAMES.contains(access.table().name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesGrantTable(Classification c, Tokens t, Span span) {
        if (!c.kinds().contains(Kind.WRITE) && !c.kinds().contains(Kind.DDL)) {
            return false;
        }
        for (int i = span.from(); i + 2 < span.to(); i++) {
            if (isName(t, i) && t.name(i).equals("mysql") && t.is(i + 1, TokenType.DOT) && isName(t, i + 2)
                    && NAMES.contains(t.name(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isName(Tokens t, int i) {
        return t.is(i, TokenType.WORD) || t.is(i, TokenType.QUOTED_IDENT);
    }
}
