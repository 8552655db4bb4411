package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients of other languages, as applications use them, through the proxy under {@code examples/policy.yaml}:
 * psycopg2 with its default autocommit off (a SELECT, then commit) and node-postgres (BEGIN, a SELECT with a bound
 * value, COMMIT). Nothing here touches a protected column, so each must print what it prints directly. The
 * clients are installed by {@code .ci/run} (Debian's python3-psycopg2 for /usr/bin/python3; {@code npm ci} in
 * src/test/node); a missing one fails here, it is never skipped.
 */
class ScriptClientsTest {
    static final String TABLE = "gh_scripts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static ProxyFixture proxy;

    enum Client {
        PSYCOPG2("/usr/bin/python3", "src/test/python/select_commit.py"),
        NODE_PG("node", "src/test/node/select_commit.js");

        final List<String> command;

        Client(String... command) {
            this.command = List.of(command);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ProxyFixture.directly("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, note text)");
        ProxyFixture.directly("INSERT INTO " + TABLE + " VALUES (1, 'first'), (2, 'second')");
        proxy = ProxyFixture.underPolicy(ProxyFixture.EXAMPLE_POLICY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        ProxyFixture.directly("DROP TABLE IF EXISTS " + TABLE);
    }

    @ParameterizedTest(name = "{0}: select and commit through the proxy as directly")
    @EnumSource(Client.class)
    void selectAndCommit(Client client) throws Exception {
        Cli.Result direct = run(client, 5432);
        assertEquals(new Cli.Result(0, "first\n"), direct, "the client itself works directly");
        assertEquals(direct, run(client, proxy.port()), "through the proxy");
    }

    private static Cli.Result run(Client client, int port) throws Exception {
        List<String> cmd = new ArrayList<>(client.command);
        cmd.add(String.valueOf(port));
        cmd.add(TABLE);
        return Cli.run("", cmd.toArray(String[]::new));
    }
}
