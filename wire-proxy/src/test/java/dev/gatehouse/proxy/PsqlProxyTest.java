package dev.gatehouse.proxy;

import java.sql.SQLException;

import dev.gatehouse.enforce.checkpoint.Resolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** psql (Debian postgresql-client) driven through the proxy as a person would, input on stdin. */
class PsqlProxyTest {
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_psql");
        ProxyFixture.directly("CREATE TABLE proxy_psql (id int primary key, note text)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_psql");
    }

    @BeforeEach
    void clean() throws Exception {
        ProxyFixture.directly("TRUNCATE proxy_psql");
        proxy.guard.seen.clear();
    }

    static long rows() throws SQLException {
        return PgjdbcCount.rows("proxy_psql");
    }

    @Test
    void scriptWithDenialInsideTransactionCommitsNothing() throws Exception {
        Cli.Result r = Cli.psql(proxy.port(), """
                INSERT INTO proxy_psql VALUES (1, 'before');
                BEGIN;
                INSERT INTO proxy_psql VALUES (2, 'in block');
                DELETE FROM proxy_psql WHERE note = 'gh_deny';
                SELECT 1;
                COMMIT;
                SELECT count(*) AS n FROM proxy_psql;
                """);
        assertTrue(r.output().contains("ERROR:  Gatehouse denied the statement (rules: test.deny)"), r.output());
        assertTrue(r.output().contains("current transaction is aborted"), r.output());
        assertTrue(r.output().contains("ROLLBACK"), r.output());
        assertEquals(1, rows());
    }

    @Test
    void multiStatementStringIsDecidedWholeBeforeAnyRuns() throws Exception {
        Cli.Result r = Cli.psql(proxy.port(), "", "-c",
                "INSERT INTO proxy_psql VALUES (1, 'a'); SELECT 'gh_deny'; INSERT INTO proxy_psql VALUES (2, 'b')");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("42501") || r.output().contains("Gatehouse denied"), r.output());
        assertEquals(0, rows());
        assertEquals(1, proxy.guard.seen.size(), "one decision for the whole string");
    }

    @Test
    void copyBothWaysWithBackslashCopy(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            csv.append(i).append(",note ").append(i).append('\n');
        }
        Files.writeString(in, csv);
        Cli.Result r = Cli.psql(proxy.port(), "\\copy proxy_psql FROM '" + in + "' WITH (FORMAT csv)\n"
                + "\\copy (SELECT * FROM proxy_psql ORDER BY id) TO '" + out + "' WITH (FORMAT csv)\n");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("COPY 500"), r.output());
        assertEquals(csv.toString(), Files.readString(out));
        assertEquals(500, rows());
        Cli.Result denied = Cli.psql(proxy.port(),
                "\\copy (SELECT 'gh_deny' FROM proxy_psql) TO '" + dir.resolve("no.csv") + "'\n");
        assertTrue(denied.output().contains("Gatehouse denied"), denied.output());
    }

    @Test
    void heldStatementShowsNoticeAndRunsAfterApproval() throws Exception {
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Cli.psql(proxy.port(), "INSERT INTO proxy_psql VALUES (1, 'gh_review');\n");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        TestHold hold = proxy.guard.holds.poll(20, TimeUnit.SECONDS);
        assertTrue(hold.awaitWaiter(Duration.ofSeconds(10)));
        assertEquals(0, rows());
        hold.resolve(new Resolution.Approved());
        Cli.Result r = run.get(30, TimeUnit.SECONDS);
        assertTrue(r.output().contains("NOTICE:  Gatehouse holds the statement for approval: request req-"),
                r.output());
        assertTrue(r.output().contains("INSERT 0 1"), r.output());
        assertEquals(1, rows());
    }

    @Test
    void replicationConnectionsAreRefused() throws Exception {
        Cli.Result r = Cli.run("", "psql", "-X", "host=127.0.0.1 port=" + proxy.port()
                + " user=postgres dbname=test replication=database sslmode=disable", "-c", "IDENTIFY_SYSTEM");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("does not relay replication connections"), r.output());
    }
}
