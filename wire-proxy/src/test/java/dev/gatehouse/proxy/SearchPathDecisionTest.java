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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * psql through the proxy under a real policy: after a text that moves search_path, unqualified names are decided in
 * the schema the server resolves them in. Each case changes the path in a way a hand-written scanner missed.
 */
class SearchPathDecisionTest {
    private static final String POLICY = """
            version: 1
            defaults:
              unparsed: deny
              otherwise: allow
            rules:
              - id: billing-invoices
                match: { kinds: [READ], tables: ["billing.invoices"] }
                action: deny
                reason: billing invoices are read elsewhere
            """;
    static ProxyFixture proxy;

    record Case(String name, String setsPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ProxyFixture.directly("DROP SCHEMA IF EXISTS billing CASCADE");
        ProxyFixture.directly("CREATE SCHEMA billing");
        ProxyFixture.directly("CREATE TABLE billing.invoices (id int, total numeric)");
        ProxyFixture.directly("INSERT INTO billing.invoices VALUES (1, 99.50)");
        Path policy = Files.createTempFile("gatehouse-search-path", ".yaml");
        Files.writeString(policy, POLICY);
        proxy = ProxyFixture.underPolicy(policy);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        ProxyFixture.directly("DROP SCHEMA IF EXISTS billing CASCADE");
    }

    static List<Case> cases() {
        return List.of(
                new Case("SET with a quoted setting name", "SET \"search_path\" = billing, public"),
                new Case("set_config after a -- comment ended by \\r",
                        "SELECT 1; -- the path\rSELECT set_config('search_path', 'billing, public', false)"),
                new Case("SET SCHEMA", "SET SCHEMA 'billing'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unqualifiedNamesAreDecidedInTheNewSchema(Case c) throws Exception {
        Cli.Result r = Cli.psql(proxy.port(), "", "-c", c.setsPath, "-c", "SELECT * FROM invoices");
        assertTrue(r.output().contains("Gatehouse denied the statement (rules: billing-invoices)"), r.output());
        assertTrue(!r.output().contains("99.50"), r.output());
    }

    @Test
    void withoutThePathChangeTheTableIsNotFound() throws Exception {
        Cli.Result r = Cli.psql(proxy.port(), "", "-c", "SELECT * FROM invoices");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("relation \"invoices\" does not exist"), r.output());
    }
}
