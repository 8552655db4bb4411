package dev.gatehouse.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Splitting a Gatehouse URL into the real driver's URL and the gatehouse settings; named cases. */
class ConnectionUrlTest {

    record Case(String name, String url, String realUrl, Map<String, String> settings) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("no query string", "jdbc:gatehouse:postgresql://h:5432/db",
                        "jdbc:postgresql://h:5432/db", Map.of()),
                new Case("only real parameters", "jdbc:gatehouse:postgresql://h/db?user=u&sslmode=require",
                        "jdbc:postgresql://h/db?user=u&sslmode=require", Map.of()),
                new Case("settings first, middle and last", "jdbc:gatehouse:mysql://h/db?gatehouse.principal=a&user=u"
                        + "&gatehouse.review=fail&useSSL=false&gatehouse.policy=%2Fetc%2Fp.yaml",
                        "jdbc:mysql://h/db?user=u&useSSL=false",
                        Map.of("gatehouse.principal", "a", "gatehouse.review", "fail", "gatehouse.policy", "/etc/p.yaml")),
                new Case("only settings leaves no dangling question mark", "jdbc:gatehouse:mariadb://h/db?gatehouse.principal=a",
                        "jdbc:mysql://h/db", Map.of("gatehouse.principal", "a")),
                new Case("empty pairs are dropped", "jdbc:gatehouse:postgresql://h/db?&user=u&&gatehouse.review=wait&",
                        "jdbc:postgresql://h/db?user=u", Map.of("gatehouse.review", "wait")),
                new Case("a value holding gatehouse. is not a setting", "jdbc:gatehouse:postgresql://h/db?options=gatehouse.x",
                        "jdbc:postgresql://h/db?options=gatehouse.x", Map.of()),
                new Case("guard-specific settings pass to the guard", "jdbc:gatehouse:postgresql://h/db?gatehouse.guard.x=1",
                        "jdbc:postgresql://h/db", Map.of("gatehouse.guard.x", "1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void splits(Case c) throws SQLException {
        ConnectionUrl parsed = ConnectionUrl.parse(c.url, new Properties());
        assertEquals(c.realUrl, parsed.realUrl());
        assertEquals(c.settings, parsed.settings());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void propertiesOverrideUrlSettingsAndNeverReachTheRealDriver(Case c) throws SQLException {
        Properties info = new Properties();
        info.setProperty("gatehouse.principal", "from-properties");
        info.setProperty("password", "secret");
        ConnectionUrl parsed = ConnectionUrl.parse(c.url, info);
        assertEquals("from-properties", parsed.settings().get("gatehouse.principal"));
        assertEquals(java.util.Set.of("password"), parsed.realInfo().stringPropertyNames());
        assertEquals(-1, parsed.redactedRealUrl().indexOf('?'));
    }
}
