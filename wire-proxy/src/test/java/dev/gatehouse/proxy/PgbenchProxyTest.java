package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
