package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A held statement hears periodic notices and is withdrawn when the maximum wait runs out. */
class HoldBoundsTest {
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture(Limits.DEFAULTS.withHold(Duration.ofMillis(1_200), Duration.ofMillis(250)), null);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void maximumWaitWithdrawsWithNoticesOnTheWay() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute("SELECT 'gh_review'"));
            assertEquals("57014", e.getSQLState());
            assertTrue(e.getMessage().contains("maximum wait"), e.getMessage());
            TestHold hold = proxy.guard.holds.poll();
            assertTrue(hold.withdrawn(), "the request is withdrawn when the client stops waiting");
            int stillWaiting = 0;
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                if (w.getMessage().contains("still waiting for approval")) {
                    stillWaiting++;
                }
            }
            // 1.2 s at one notice per 250 ms: the first is the "holds" notice, then about four reminders.
            assertTrue(stillWaiting >= 3 && stillWaiting <= 5, "reminders: " + stillWaiting);
            s.execute("SELECT 1"); // the session goes on
        }
    }
}
