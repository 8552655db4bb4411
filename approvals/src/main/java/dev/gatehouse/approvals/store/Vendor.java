package dev.gatehouse.approvals.store;

import java.util.Locale;

/** The databases the store runs on, and the few places where their SQL differs. */
public enum Vendor {
    H2("VARCHAR(1000000)"),
    POSTGRES("TEXT"),
    MYSQL("LONGTEXT");

    private final String textType;

    Vendor(String textType) {
        this.textType = textType;
    }

    /** The column type for unbounded text (SQL, JSON, reasons). */
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
