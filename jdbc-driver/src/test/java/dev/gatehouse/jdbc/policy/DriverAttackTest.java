package dev.gatehouse.jdbc.policy;

import dev.gatehouse.adversarial.AttackCase;
import dev.gatehouse.adversarial.AttackCase.Channel;
import dev.gatehouse.jdbc.ReviewPendingException;
import dev.gatehouse.jdbc.StatementDeniedException;
import dev.gatehouse.policy.Action;
import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.gatehouse.jdbc.policy.ApprovalDesk.DESK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared adversarial table (sql-policy's {@link AttackCase}) through {@code jdbc:gatehouse:} against the
 * real PostgreSQL and MariaDB, with the table's policy in {@code fail} mode so a held statement answers at
 * once. A refused case must leave the three-row table exactly as it was, so a bypass shows both as a wrong
 * exception and as a changed database.
 */
class DriverAttackTest {
    static final Path POLICY = policyFile();

    @TestFactory
    Stream<DynamicTest> postgres() throws SQLException {
        return cases(Dialect.POSTGRES, PolicyGuardTest.PG, PolicyGuardTest.PG_RAW);
    }

    @TestFactory
    Stream<DynamicTest> mariadb() throws SQLException {
        return cases(Dialect.MYSQL, PolicyGuardTest.MARIADB, PolicyGuardTest.MARIADB_RAW);
    }

    /**
     * One table and one guarded connection per dialect for the cases without session statements (a refused
     * statement leaves both usable); cases with a session get a connection of their own. The table is checked
     * after every refused case and rebuilt if a bypass changed it, so one bypass fails one case.
     */
    private static Stream<DynamicTest> cases(Dialect dialect, String base, String raw) throws SQLException {
        List<AttackCase> cases = AttackCase.forChannel(Channel.DRIVER, dialect);
        assertFalse(cases.isEmpty());
        String url = "jdbc:gatehouse:" + base + "&gatehouse.policy=" + enc(POLICY.toString())
                + "&gatehouse.approvals=" + enc(DESK.storeUrl) + "&gatehouse.review=fail";
        String t = PolicyGuardTest.newTable(raw);
        Connection shared = DriverManager.getConnection(url);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Connection g = c.session().isEmpty() ? shared : DriverManager.getConnection(url);
            try (Statement st = g.createStatement()) {
                for (String s : c.session(t)) {
                    st.execute(s);
                }
                attempt(c, st, c.sql(t));
                if (c.expect() != Action.ALLOW) {
                    List<Integer> ids = PolicyGuardTest.ids(raw, t);
                    if (!ids.equals(List.of(1, 2, 3))) {
                        PolicyGuardTest.exec(raw, "DELETE FROM " + t);
                        PolicyGuardTest.exec(raw, "INSERT INTO " + t + " VALUES (1, 's1'), (2, 's2'), (3, 's3')");
                    }
                    assertEquals(List.of(1, 2, 3), ids, "nothing reached the database");
                }
            } finally {
                if (g != shared) {
                    g.close();
                }
            }
        })).onClose(() -> {
            try (shared) {
                PolicyGuardTest.exec(raw, "DROP TABLE IF EXISTS " + t);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Why the table's client character set cases are denied: after {@code SET NAMES gbk} the server reads the
     * bytes the driver sends (UTF-8) as GBK, and the last byte of {@code 中} swallows a backslash, so where a
     * string ends moves. In {@code SELECT '中\\' AS a, ' , X AS b -- '} Gatehouse (under either backslash
     * reading) sees two string literals; the server sees one string and the expression X, which could be
     * {@code LOAD_FILE(...)}. So the only safe answer is to refuse the character set change.
     */
    @org.junit.jupiter.api.Test
    void afterSetNamesGbkMariadbEndsAStringWhereGatehouseDoesNot() throws SQLException {
        String probe = "SELECT '\u4e2d\\\\' AS a, ' , 2 AS b -- '";
        try (Connection plain = DriverManager.getConnection(PolicyGuardTest.MARIADB_RAW); Statement st = plain.createStatement()) {
            try (var rs = st.executeQuery(probe)) {
                rs.next();
                assertEquals(" , 2 AS b -- ", rs.getString(2), "utf8mb4: the second column is a string");
            }
            st.execute("SET NAMES gbk");
            try (var rs = st.executeQuery(probe)) {
                rs.next();
                assertEquals("2", rs.getString(2), "gbk: the second column is the expression");
            }
        }
        var gate = new dev.gatehouse.gate.Gate(new dev.gatehouse.sql.analysis.Analyzer(Dialect.MYSQL,
                dev.gatehouse.sql.catalog.Catalog.EMPTY), AttackCase.policy());
        String attack = "SELECT '\u4e2d\\\\' AS a, ' , LOAD_FILE(0x2f6574632f706173737764) AS b -- '";
        assertEquals(Action.ALLOW, gate.decide(attack, "test", dev.gatehouse.policy.Principal.of("agent")).verdict().action(),
                "the text alone cannot show the file read");
        try (Connection g = DriverManager.getConnection("jdbc:gatehouse:" + PolicyGuardTest.MARIADB + "&gatehouse.policy="
                + enc(POLICY.toString()) + "&gatehouse.approvals=" + enc(DESK.storeUrl)); Statement st = g.createStatement()) {
            assertThrows(StatementDeniedException.class, () -> st.execute("SET NAMES gbk"));
        }
    }

    private static void attempt(AttackCase c, Statement st, String sql) throws SQLException {
        switch (c.expect()) {
            case DENY -> {
                StatementDeniedException e = assertThrows(StatementDeniedException.class, () -> st.execute(sql));
                assertEquals("42501", e.getSQLState());
                assertEquals(c.rules(), sorted(e.ruleIds()), e.getMessage());
            }
            case REVIEW -> {
                ReviewPendingException e = assertThrows(ReviewPendingException.class, () -> st.execute(sql));
                assertEquals("ZG001", e.getSQLState());
                for (String rule : c.rules()) {
                    assertTrue(e.getMessage().contains(rule), e.getMessage());
                }
            }
            case ALLOW -> {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    // The server may reject the text; Gatehouse must not have.
                    assertFalse(e instanceof StatementDeniedException || e instanceof ReviewPendingException
                            || String.valueOf(e.getSQLState()).startsWith("ZG"), e.toString());
                }
            }
        }
    }

    private static List<String> sorted(List<String> ids) {
        List<String> out = new ArrayList<>(ids);
        out.sort(null);
        return out;
    }

    private static Path policyFile() {
        try {
            Path p = Files.createTempFile("gatehouse-adversarial", ".yaml");
            Files.write(p, AttackCase.policyBytes());
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
