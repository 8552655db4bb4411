package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.lex.TokenType;

/**
 * CREATE / ALTER / DROP: DDL, except where the object is about who may do what (roles, users, policies,
 * ownership, row-level security), and CREATE TABLE AS / materialized views, which also write rows.
 * Stateless; runs on the thread that classifies.
 */
final class Definitions {
    private Definitions() {
    }

    /** Index of the object-type word after CREATE/ALTER/DROP, past modifiers such as OR REPLACE, TEMP, DEFINER = x. */
    private static int objectWord(StatementTokens s, int i) {
        int j = i + 1;
        while (s.in(j)) {
            if (s.word(j, "or") && s.word(j + 1, "replace")) {
                j += 2;
            } else if (s.word(j, "definer") && s.t.isOperator(j + 1, "=")) {
                j += 3;
                while (s.is(j, TokenType.VARIABLE) || s.is(j, TokenType.OPERATOR) || s.is(j, TokenType.STRING)
                        || s.is(j, TokenType.QUOTED_IDENT) || s.is(j, TokenType.LPAREN) || s.is(j, TokenType.RPAREN)) {
                    j++;
                }
            } else if ((s.word(j, "algorithm") && s.t.isOperator(j + 1, "=")) || (s.word(j, "sql") && s.word(j + 1, "security"))) {
                j += 3;
            } else if (s.is(j, TokenType.WORD) && isModifier(s.t.name(j))) {
                j++;
            } else {
                return j;
            }
        }
        return j;
    }

    private static boolean isModifier(String w) {
        return switch (w) {
            case "temp", "temporary", "unlogged", "global", "local", "unique", "recursive", "trusted", "procedural",
                 "default", "constraint", "online", "offline", "ignore", "aggregate" -> true;
            default -> false;
        };
    }

    /** Roles, users, groups and policies are about who may do what, whichever verb handles them. */
    private static boolean accessObject(StatementTokens s, int o, Findings f) {
        if (s.word(o, "role") || s.word(o, "group")) {
            f.add(Kind.PRIVILEGE);
        } else if (s.word(o, "user")) {
            f.add(Kind.PRIVILEGE);
            if (s.word(o + 1, "mapping")) {
                f.add(Kind.DDL);
            }
        } else if (s.word(o, "policy")) {
            f.add(Kind.PRIVILEGE, Kind.DDL);
        } else {
            return false;
        }
        return true;
    }

    static void create(StatementTokens s, int i, Findings f, Dialect dialect) {
        int o = objectWord(s, i);
        if (accessObject(s, o, f)) {
            return;
        }
        if (s.word(o, "table")) {
            f.add(Kind.DDL);
            if (s.find(o, "as") >= 0 || (dialect == Dialect.MYSQL && s.find(o, "select") >= 0)) {
                f.add(Kind.WRITE);
                f.notes.add("CREATE TABLE AS writes the query's rows");
            }
        } else if (s.word(o, "materialized")) {
            f.add(Kind.DDL, Kind.WRITE);
        } else if (s.word(o, "schema")) {
            f.add(Kind.DDL);
            if (s.find(o, "authorization") >= 0 || s.find(o, "grant") >= 0) {
                f.add(Kind.PRIVILEGE);
            }
        } else {
            f.add(Kind.DDL);
        }
    }

    static void alter(StatementTokens s, int i, Findings f) {
        int o = objectWord(s, i);
        if (s.word(i + 1, "default") && s.word(i + 2, "privileges")) {
            f.add(Kind.PRIVILEGE);
        } else if (!accessObject(s, o, f)) {
            f.add(Kind.DDL);
        }
        if (s.hasSequence(i, "owner", "to") || s.hasSequence(i, "row", "level", "security")) {
            f.add(Kind.PRIVILEGE);
            f.notes.add("changes ownership or row-level security");
        }
    }

    static void drop(StatementTokens s, int i, Findings f, Dialect dialect) {
        int o = objectWord(s, i);
        if (accessObject(s, o, f)) {
            return;
        }
        if (s.word(o, "owned")) {
            f.add(Kind.PRIVILEGE, Kind.DDL);
        } else if (dialect == Dialect.MYSQL && s.word(o, "prepare")) {
            f.add(Kind.SESSION); // DROP PREPARE s: MySQL's DEALLOCATE
        } else {
            f.add(Kind.DDL);
        }
    }
}
