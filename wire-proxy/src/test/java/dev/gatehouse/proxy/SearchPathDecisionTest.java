package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * psql through the proxy under a real policy: after a text that moves search_path, unqualified names are decided in
 * the schema the server resolves them in. Each case changes the path in a way a hand-written scanner missed.
 */
class SearchPathDecisionTest {
    static final String SCHEMA = "gh_billing_" + Long.toHexString(System.nanoTime());
    /** In SCHEMA, and an empty one of the same name in public, where the name resolves by default. */
    static final String TABLE = "gh_invoices_" + Long.toHexString(System.nanoTime());
    static ProxyFixture proxy;

    record Case(String name, String movesPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ProxyFixture.directly("CREATE SCHEMA " + SCHEMA);
        ProxyFixture.directly("CREATE TABLE " + SCHEMA + "." + TABLE + " (id int, total numeric)");
        ProxyFixture.directly("INSERT INTO " + SCHEMA + "." + TABLE + " VALUES (1, 99.50)");
        ProxyFixture.directly("CREATE TABLE public." + TABLE + " (id int, total numeric)");
        Path policy = Files.createTempFile("gatehouse-search-path", ".yaml");
        Files.writeString(policy, """
                version: 1
                defaults:
                  unparsed: deny
                  otherwise: allow
                rules:
                  - id: invoices
                    match: { kinds: [READ], tables: ["%s.%s"] }
                    action: deny
                    reason: invoices are read elsewhere
                """.formatted(SCHEMA, TABLE));
        proxy = ProxyFixture.underPolicy(policy);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        ProxyFixture.directly("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        ProxyFixture.directly("DROP TABLE IF EXISTS public." + TABLE);
    }

    static List<Case> cases() {
        return List.of(
                new Case("SET with a quoted setting name", "SET \"search_path\" = " + SCHEMA + ", public"),
                new Case("set_config after a -- comment ended by \\r",
                        "SELECT 1; -- the path\rSELECT set_config('search_path', '" + SCHEMA + ", public', false)"),
                new Case("SET SCHEMA", "SET SCHEMA '" + SCHEMA + "'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unqualifiedNamesAreDecidedInTheNewSchema(Case c) throws Exception {
        Cli.Result r = Cli.psql(proxy.port(), "", "-c", c.movesPath, "-c", "SELECT * FROM " + TABLE);
        assertTrue(r.output().contains("Gatehouse denied the statement (rules: invoices)"), r.output());
        assertFalse(r.output().contains("99.50"), r.output());
    }

    @Test
    void withoutTheMoveTheNameResolvesToPublic() throws Exception {
        Cli.Result r = Cli.psql(proxy.port(), "", "-c", "SELECT * FROM " + TABLE);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("(0 rows)"), r.output());
    }
}
