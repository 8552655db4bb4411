package dev.gatehouse.enforce.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Startup parameters read as PostgreSQL reads them and written as the SET statements they amount to (the
 * guard decides those texts). The server's side of each case is in {@code dev.gatehouse.proxy.StartupSettingsTest}.
 */
class StartupSettingsReadTest {

    static Stream<Arguments> readable() {
        return Stream.of(
                Arguments.of("-c name=value", Map.of("options", "-c role=admin"), "SET \"role\" = 'admin'"),
                Arguments.of("-cname=value", Map.of("options", "-crole=admin"), "SET \"role\" = 'admin'"),
                Arguments.of("--name=value", Map.of("options", "--role=admin"), "SET \"role\" = 'admin'"),
                Arguments.of("names are case-insensitive", Map.of("options", "-c Role=admin"), "SET \"role\" = 'admin'"),
                Arguments.of("'-' in a name is '_'", Map.of("options", "--session-replication-role=replica"),
                        "SET \"session_replication_role\" = 'replica'"),
                Arguments.of("backslash escapes a space", Map.of("options", "  -c statement_timeout=5s\t-c role=a\\ b"),
                        "SET \"statement_timeout\" = '5s';\nSET \"role\" = 'a b'"),
                Arguments.of("a backslash escapes a backslash", Map.of("options", "-c role=a\\\\b"),
                        "SET \"role\" = 'a\\b'"),
                Arguments.of("a quote in a value", Map.of("options", "-c work_mem=it's"), "SET \"work_mem\" = 'it''s'"),
                Arguments.of("search_path items are identifiers",
                        Map.of("options", "-c search_path=Public,\"My\\ \"\"Schema\"\"\\ \",\\ pg_catalog"),
                        "SET \"search_path\" = \"public\", \"My \"\"Schema\"\" \", \"pg_catalog\""),
                Arguments.of("formatting settings are not decided", Map.of("options", "-c application_name=x",
                        "DateStyle", "ISO", "TimeZone", "UTC", "extra_float_digits", "3", "client_encoding", "UTF8"), ""),
                Arguments.of("plain parameters after the options, by name",
                        Map.of("user", "u", "database", "d", "options", "-c work_mem=1MB", "role", "x",
                                "session_replication_role", "replica", "_pq_.extension", "y"),
                        "SET \"work_mem\" = '1MB';\nSET \"role\" = 'x';\nSET \"session_replication_role\" = 'replica'"),
                Arguments.of("empty options", Map.of("options", "  "), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void readAsTheServerReadsThem(String name, Map<String, String> parameters, String sql) throws Exception {
        assertEquals(sql, StartupSettings.asSql(StartupSettings.read(parameters)));
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of("another switch", "-B 100"),
                Arguments.of("-c without a value", "-c role"),
                Arguments.of("-c at the end", "-c"),
                Arguments.of("-- alone", "--"),
                Arguments.of("a word that is no switch", "role=x"),
                Arguments.of("an unclosed quote in a list", "-c search_path=\"open"),
                Arguments.of("an empty list item", "-c search_path=a,,b"),
                Arguments.of("a list ending with a comma", "-c search_path=a,"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void refusedWhenNotRead(String name, String options) {
        assertThrows(StartupSettings.Unreadable.class,
                () -> StartupSettings.asSql(StartupSettings.read(Map.of("options", options))));
    }

    @org.junit.jupiter.api.Test
    void connectorJSessionVariablesSplitOutsideQuotes() {
        assertEquals("SET SESSION sql_mode='A,B';\nSET SESSION foreign_key_checks=0",
                StartupSettings.mysqlSessionVariables("sql_mode='A,B', foreign_key_checks=0"));
        assertEquals("", StartupSettings.mysqlSessionVariables(" "));
    }
}
