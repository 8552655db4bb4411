package dev.gatehouse.approvals.store;

import java.util.Locale;

/** The databases the store runs on, and the few places where their SQL differs. */
public enum Vendor {
    // H2's CLOB keeps values of any size out of the row; its VARCHAR(1000000) of versions 1-2 refused a held
    // statement longer than a million characters. PostgreSQL TEXT (1 GB) and MySQL LONGTEXT (4 GB) were unbounded
    // from the start.
    H2("VARCHAR(1000000)", "CLOB"),
    POSTGRES("TEXT", "TEXT"),
    MYSQL("LONGTEXT", "LONGTEXT");

    private final String versionOneTextType;
    private final String textType;

    Vendor(String versionOneTextType, String textType) {
        this.versionOneTextType = versionOneTextType;
        this.textType = textType;
    }

    /**
     * The text type schema versions 1 and 2 created: frozen, because released migrations are never edited
     * (version 3 converts those columns to {@link #textType()}).
     */
    String versionOneTextType() {
        return versionOneTextType;
    }

    /** The column type for text of any size (SQL, bound values, JSON, reasons): a large object where it matters. */
    public String textType() {
        return textType;
    }

    public static Vendor of(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("unsupported store URL (use jdbc:h2:, jdbc:postgresql: or jdbc:mysql:): "
                + Store.redact(jdbcUrl));
    }
}
