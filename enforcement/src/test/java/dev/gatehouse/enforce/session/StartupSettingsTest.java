package dev.gatehouse.enforce.session;

import dev.gatehouse.enforce.session.StartupSettings.Setting;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Startup settings read as PostgreSQL reads them, and the SET text the policy decides for them. */
class StartupSettingsTest {

    record Case(String name, String options, List<Setting> settings) {
    }

    @TestFactory
    Stream<DynamicTest> optionsAreReadAsTheServerReadsThem() {
        return Stream.of(
                new Case("one -c", "-c role=admin", List.of(new Setting("role", "admin"))),
                new Case("-c joined to its setting", "-crole=admin", List.of(new Setting("role", "admin"))),
                new Case("long form, dash in the name", "--session-replication-role=replica",
                        List.of(new Setting("session_replication_role", "replica"))),
                new Case("several, any white space", " -c search_path=billing\t-c\nstatement_timeout=0 ",
                        List.of(new Setting("search_path", "billing"), new Setting("statement_timeout", "0"))),
                new Case("backslash keeps a space in the value", "-c search_path=a,\\ b",
                        List.of(new Setting("search_path", "a, b"))),
                new Case("backslash escapes a backslash", "-c application_name=x\\\\y",
                        List.of(new Setting("application_name", "x\\y"))),
                new Case("empty", "  ", List.of())
        ).map(c -> DynamicTest.dynamicTest(c.name(), () -> assertEquals(c.settings(), StartupSettings.options(c.options()))));
    }

    @TestFactory
    Stream<DynamicTest> anyOtherSwitchIsRefused() {
        return Stream.of("-f s", "-B 100", "-c", "-c role", "role=admin", "-d 5")
                .map(o -> DynamicTest.dynamicTest(o, () -> assertThrows(StartupSettings.UnreadableOptionException.class,
                        () -> StartupSettings.options(o))));
    }

    @Test
    void startupParametersOtherThanWhoAndWhereAreSettings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "app");
        p.put("database", "test");
        p.put("search_path", "billing");
        p.put("options", "-c role=admin");
        p.put("_pq_.protocol_extension", "1");
        assertEquals(List.of(new Setting("search_path", "billing"), new Setting("role", "admin")), StartupSettings.of(p));
    }

    @Test
    void theSetTextQuotesNameAndValue() {
        assertNull(StartupSettings.sql(List.of()));
        assertEquals("SET \"role\" TO E'admin';\nSET \"search_path\" TO E'it''s\\\\x'",
                StartupSettings.sql(List.of(new Setting("role", "admin"), new Setting("search_path", "it's\\x"))));
    }

    @Test
    void connectorJSessionVariablesSplitOutsideQuotes() {
        assertEquals(List.of("SET SESSION sql_mode='A,B'", "SET SESSION foreign_key_checks=0"),
                StartupSettings.mysqlSessionVariables("sql_mode='A,B', foreign_key_checks=0"));
    }
}
