package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pgbench through the proxy, in its own database so it never touches other tests' tables. */
class PgbenchProxyTest {
    static final String DB = "gatehouse_proxy_bench";
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP DATABASE IF EXISTS " + DB);
        ProxyFixture.directly("CREATE DATABASE " + DB);
        Cli.Result init = Cli.run("", "pgbench", "-i", "-s", "1", "-q", "-h", "127.0.0.1", "-p",
                String.valueOf(proxy.port()), "-U", "postgres", DB);
        assertEquals(0, init.exit(), init.output());
        assertTrue(init.output().contains("done"), init.output());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP DATABASE IF EXISTS " + DB);
    }

    @ParameterizedTest(name = "tpcb-like, 4 clients, protocol {0}")
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void tpcbLike(String mode) throws Exception {
        Cli.Result r = Cli.run("", "pgbench", "-n", "-c", "4", "-j", "2", "-t", "50", "-M", mode, "-h",
                "127.0.0.1", "-p", String.valueOf(proxy.port()), "-U", "postgres", DB);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("number of transactions actually processed: 200/200"), r.output());
        assertTrue(r.output().contains("number of failed transactions: 0"), r.output());
    }

    /**
     * libpq pipeline mode (pgbench's \startpipeline): Parse/Bind/Describe/Execute of several statements with
     * one Sync. Every statement is decided before its Bind leaves the proxy, and all of them run.
     */
    @ParameterizedTest(name = "libpq pipeline mode through pgbench, protocol {0}")
    @ValueSource(strings = {"extended", "prepared"})
    void pipelineMode(String mode) throws Exception {
        Path script = Files.createTempFile("gatehouse-pipeline-", ".sql");
        Files.writeString(script, """
                \\startpipeline
                UPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1;
                SELECT bbalance FROM pgbench_branches WHERE bid = 1;
                UPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1;
                \\endpipeline
                """);
        try {
            long before = bbalance();
            Cli.Result r = Cli.run("", "pgbench", "-n", "-c", "2", "-j", "2", "-t", "50", "-M", mode, "-f",
                    script.toString(), "-h", "127.0.0.1", "-p", String.valueOf(proxy.port()), "-U", "postgres", DB);
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("number of transactions actually processed: 100/100"), r.output());
            assertEquals(before + 200, bbalance(), "both UPDATEs of every pipeline ran once");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static long bbalance() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB + "?user=postgres");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                     "SELECT bbalance FROM pgbench_branches WHERE bid = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
