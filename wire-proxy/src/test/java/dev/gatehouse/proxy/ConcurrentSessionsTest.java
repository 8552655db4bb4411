package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many sessions at once, each mixing allowed and denied statements: every answer must be its own session's,
 * refusals must not leak into other sessions, and exactly the allowed rows must arrive.
 */
class ConcurrentSessionsTest {
    static final int SESSIONS = 12;
    static final int ROUNDS = 150;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_conc");
        ProxyFixture.directly("CREATE TABLE proxy_conc (session int, round int, note text)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_conc");
    }

    @ParameterizedTest(name = "12 sessions x 150 rounds of allowed and denied, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void sessionsDoNotInterfere(String mode) throws Exception {
        ProxyFixture.directly("TRUNCATE proxy_conc");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int session = 0; session < SESSIONS; session++) {
                int id = session;
                results.add(pool.submit(() -> run(mode, id)));
            }
            int denied = 0;
            for (Future<Integer> f : results) {
                denied += f.get();
            }
            // Every third round is denied in every session.
            assertEquals(SESSIONS * (ROUNDS / 3), denied);
        }
        assertEquals((long) SESSIONS * (ROUNDS - ROUNDS / 3), PgjdbcCount.rows("proxy_conc"));
    }

    /** Returns how many of its statements were denied; fails on any answer that is not its own. */
    private static int run(String mode, int session) throws SQLException {
        int denied = 0;
        try (Connection c = proxy.connect("preferQueryMode=" + mode);
             PreparedStatement insert = c.prepareStatement("INSERT INTO proxy_conc VALUES (?, ?, ?)");
             PreparedStatement read = c.prepareStatement("SELECT ?::int * 1000 + ?::int")) {
            for (int round = 0; round < ROUNDS; round++) {
                insert.setInt(1, session);
                insert.setInt(2, round);
                insert.setString(3, round % 3 == 2 ? "gh_deny" : "ok");
                try {
                    insert.executeUpdate();
                } catch (SQLException e) {
                    assertEquals("42501", e.getSQLState());
                    assertEquals(2, round % 3, "only the marked rounds are denied");
                    denied++;
                }
                read.setInt(1, session);
                read.setInt(2, round);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    assertEquals(session * 1000 + round, rs.getInt(1), "an answer from another session");
                }
            }
        }
        return denied;
    }
}
