package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.lex.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL SET: a role or session-authorization change is a privilege change whatever the spelling
 * ({@code SET ROLE}, {@code SET LOCAL role = x}, {@code SET "role" TO x}, {@code SET SESSION AUTHORIZATION});
 * {@code SET search_path} / {@code SET SCHEMA} move name resolution for later statements. Stateless; runs on
 * the thread that classifies.
 */
final class PostgresSet {
    private PostgresSet() {
    }

    static void set(StatementTokens s, int i, Findings f) {
        f.literalsMatter = true;
        int j = i + 1;
        while (true) {
            if (s.word(j, "local")) {
                j++;
            } else if (s.word(j, "session")) {
                if (s.word(j + 1, "authorization")) {
                    f.add(Kind.PRIVILEGE);
                    return;
                }
                if (s.word(j + 1, "characteristics")) {
                    f.add(Kind.SESSION);
                    return;
                }
                j++;
            } else {
                break;
            }
        }
        String name = s.lowerName(j);
        switch (name) {
            // session_replication_role = replica switches off triggers, foreign keys' included
            case "role", "session_authorization", "session_replication_role" -> f.add(Kind.PRIVILEGE);
            case "search_path" -> {
                f.add(Kind.SESSION);
                searchPath(s, j + 1, f);
            }
            case "schema" -> {
                f.add(Kind.SESSION);
                if (s.is(j + 1, TokenType.STRING)) {
                    f.change = new SessionChange.SearchPath(List.of(s.t.stringValue(j + 1)));
                }
            }
            case "client_encoding", "names" -> {
                f.add(Kind.SESSION);
                ClientEncoding.postgresValue(s, j + 1, f);
            }
            case "" -> f.unknown("SET without a setting name");
            default -> f.add(Kind.SESSION);
        }
    }

    /** {@code TO|= a, "B", 'c'}; {@code TO DEFAULT} resets to the caller's default. */
    private static void searchPath(StatementTokens s, int j, Findings f) {
        if (s.word(j, "to") || s.t.isOperator(j, "=")) {
            j++;
        }
        if (s.word(j, "default")) {
            f.change = new SessionChange.ResetSearchPath();
            return;
        }
        List<String> schemas = new ArrayList<>(4);
        for (int k = j; k < s.to; k++) {
            if (s.is(k, TokenType.WORD) || s.is(k, TokenType.QUOTED_IDENT)) {
                schemas.add(s.t.name(k));
            } else if (s.is(k, TokenType.STRING)) {
                // A quoted value holds an identifier list of its own: 'a, b'.
                String value = s.t.stringValue(k);
                for (int start = 0, comma; start <= value.length(); start = comma + 1) {
                    comma = value.indexOf(',', start);
                    if (comma < 0) {
                        comma = value.length();
                    }
                    String p = value.substring(start, comma).trim();
                    if (p.length() > 1 && p.startsWith("\"") && p.endsWith("\"")) {
                        schemas.add(p.substring(1, p.length() - 1));
                    } else if (!p.isEmpty()) {
                        schemas.add(p.toLowerCase(Locale.ROOT));
                    }
                }
            } else if (!s.is(k, TokenType.COMMA)) {
                f.notes.add("search_path value not understood; later names resolve with the previous path");
                return;
            }
        }
        f.change = new SessionChange.SearchPath(schemas);
    }
}
