package dev.gatehouse.jdbc.rows;

import dev.gatehouse.jdbc.session.MysqlVendor;
import dev.gatehouse.jdbc.session.PostgresVendor;
import dev.gatehouse.jdbc.session.Vendor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a counted write can be taken back: a savepoint inside the client's transaction, or a transaction of
 * Gatehouse's own around it in auto-commit. States: {@link #open} -> the write runs -> {@link #keep} (it stands)
 * or {@link #back} (nothing of it remains) or {@link #failed} (the write failed: left as the failure left it).
 *
 * <p>PostgreSQL outside a transaction turns auto-commit off, so pgjdbc sends BEGIN with the write in one round
 * trip; MySQL and MariaDB get {@code BEGIN}, since Connector/J's auto-commit switch costs a round trip each way.
 * The savepoint's name is one a client does not use: MySQL replaces a savepoint of the same name.
 *
 * <p>Threads: the thread running the statement; one run at a time per connection, as JDBC uses it.
 */
public final class Undo {
    static final String SAVEPOINT = dev.gatehouse.enforce.checkpoint.RowGuard.SAVEPOINT;

    private enum Kind { PG_SAVEPOINT, MYSQL_SAVEPOINT, PG_IMPLICIT, MYSQL_IMPLICIT }

    private final Connection raw;
    private final Kind kind;

    private Undo(Connection raw, Kind kind) {
        this.raw = raw;
        this.kind = kind;
    }

    /** Opens the undo point for the next statement on {@code raw}. */
    public static Undo open(Vendor vendor, Connection raw) throws SQLException {
        if (vendor.inTransaction(raw)) {
            exec(raw, "SAVEPOINT " + SAVEPOINT);
            return new Undo(raw, vendor instanceof PostgresVendor ? Kind.PG_SAVEPOINT : Kind.MYSQL_SAVEPOINT);
        }
        return switch (vendor) {
            case PostgresVendor pg -> {
                raw.setAutoCommit(false); // no round trip: BEGIN goes out with the write
                yield new Undo(raw, Kind.PG_IMPLICIT);
            }
            case MysqlVendor my -> {
                exec(raw, "BEGIN");
                yield new Undo(raw, Kind.MYSQL_IMPLICIT);
            }
        };
    }

    /** The write stands. */
    public void keep() throws SQLException {
        switch (kind) {
            case PG_SAVEPOINT, MYSQL_SAVEPOINT -> exec(raw, "RELEASE SAVEPOINT " + SAVEPOINT);
            case PG_IMPLICIT -> {
                try {
                    raw.commit();
                } finally {
                    raw.setAutoCommit(true);
                }
            }
            case MYSQL_IMPLICIT -> exec(raw, "COMMIT");
        }
    }

    /** Nothing of the write remains: its rows, what triggers and cascades did, what RETURNING produced. */
    public void back() throws SQLException {
        switch (kind) {
            case PG_SAVEPOINT, MYSQL_SAVEPOINT -> {
                exec(raw, "ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                exec(raw, "RELEASE SAVEPOINT " + SAVEPOINT);
            }
            case PG_IMPLICIT -> {
                try {
                    raw.rollback();
                } finally {
                    raw.setAutoCommit(true);
                }
            }
            case MYSQL_IMPLICIT -> exec(raw, "ROLLBACK");
        }
    }

    /**
     * The write failed. In the client's transaction it stays as the failure left it (PostgreSQL: aborted, the
     * savepoint inside it, as after any error; MySQL: the statement rolled back, the savepoint released); the
     * transaction of Gatehouse's own is rolled back, as auto-commit would have. Never throws over the failure.
     */
    public void failed(SQLException failure) {
        try {
            switch (kind) {
                case PG_SAVEPOINT -> { }
                case MYSQL_SAVEPOINT -> exec(raw, "RELEASE SAVEPOINT " + SAVEPOINT);
                case PG_IMPLICIT -> {
                    try {
                        raw.rollback();
                    } finally {
                        raw.setAutoCommit(true);
                    }
                }
                case MYSQL_IMPLICIT -> exec(raw, "ROLLBACK");
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void exec(Connection raw, String sql) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }
}
