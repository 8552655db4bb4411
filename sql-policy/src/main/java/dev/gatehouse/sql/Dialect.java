package dev.gatehouse.sql;

import java.util.Locale;

/** The SQL dialects Gatehouse reads. Each has its own lexical rules, identifier case and name resolution. */
public enum Dialect {
    /** PostgreSQL: unquoted identifiers fold to lower case; names resolve through the search path. */
    POSTGRES,
    /** MySQL and MariaDB: backticks, backslash escapes, {@code #} comments; names resolve in the current database. */
    MYSQL;

    /** Parses a user-facing dialect name: {@code postgres}, {@code postgresql}, {@code pg}, {@code mysql}, {@code mariadb}. */
    public static Dialect parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql", "pg" -> POSTGRES;
            case "mysql", "mariadb" -> MYSQL;
            default -> throw new IllegalArgumentException("unknown dialect '" + name + "' (expected postgres or mysql)");
        };
    }
}
