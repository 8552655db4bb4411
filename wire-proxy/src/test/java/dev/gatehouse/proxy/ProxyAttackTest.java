package dev.gatehouse.proxy;

import dev.gatehouse.adversarial.AttackCase;
import dev.gatehouse.adversarial.AttackCase.Channel;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared adversarial table (sql-policy's {@link AttackCase}) through the wire proxy as {@code serve} runs it
 * (the production {@link PolicyGuard} over a {@link Checkpoint} and a real approvals store, holds in
 * {@code fail} mode), from pgjdbc in simple and in extended query mode, to the real PostgreSQL. A refused case
 * must leave the three-row table exactly as it was.
 */
class ProxyAttackTest {
    static ProxyServer server;
    static Store store;
    static String table;

    @BeforeAll
    static void start() throws Exception {
        Policy policy = AttackCase.policy();
        store = Store.open("jdbc:h2:file:" + Files.createTempDirectory("gatehouse-proxy-attack").resolve("store"), "sa", "", 4);
        ApprovalService service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
        Checkpoint checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, Gate.DEFAULT_MAXIMUM_SIZE);
        PolicyGuard guard = new PolicyGuard(checkpoint.forClient(Dialect.POSTGRES, Catalog.EMPTY), policy, HoldMode.FAIL);
        server = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), ProxyFixture.POSTGRES, null,
                Limits.DEFAULTS, guard, null)).start();
        table = "adv_proxy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ProxyFixture.directly("CREATE TABLE " + table + " (id int)");
        ProxyFixture.directly("INSERT INTO " + table + " VALUES (1), (2), (3)");
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        store.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS " + table);
    }

    @TestFactory
    Stream<DynamicTest> simpleQueryMode() throws SQLException {
        return cases(Channel.PROXY_SIMPLE, "preferQueryMode=simple");
    }

    @TestFactory
    Stream<DynamicTest> extendedQueryMode() throws SQLException {
        return cases(Channel.PROXY_EXTENDED, "preferQueryMode=extended");
    }

    private static Connection connect(String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.port() + "/test?sslmode=disable&" + mode, p);
    }

    /** One connection per mode for cases without session statements; a case with a session gets its own. */
    private static Stream<DynamicTest> cases(Channel channel, String mode) throws SQLException {
        List<AttackCase> cases = AttackCase.forChannel(channel, Dialect.POSTGRES);
        assertFalse(cases.isEmpty());
        Connection shared = connect(mode);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Connection conn = c.session().isEmpty() ? shared : connect(mode);
            try (Statement st = conn.createStatement()) {
                for (String s : c.session(table)) {
                    st.execute(s);
                }
                attempt(c, st, c.sql(table));
                if (c.expect() != Action.ALLOW) {
                    // A refusal inside a block the case opened (BEGIN; ...) leaves it aborted, as the server would.
                    st.execute("ROLLBACK");
                    List<Integer> ids = ids();
                    if (!ids.equals(List.of(1, 2, 3))) {
                        ProxyFixture.directly("CREATE TABLE IF NOT EXISTS " + table + " (id int)");
                        ProxyFixture.directly("DELETE FROM " + table);
                        ProxyFixture.directly("INSERT INTO " + table + " VALUES (1), (2), (3)");
                    }
                    assertEquals(List.of(1, 2, 3), ids, "nothing reached the database");
                }
            } finally {
                if (conn != shared) {
                    conn.close();
                }
            }
        })).onClose(() -> {
            try {
                shared.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void attempt(AttackCase c, Statement st, String sql) {
        switch (c.expect()) {
            case DENY -> {
                SQLException e = assertThrows(SQLException.class, () -> st.execute(sql));
                assertEquals("42501", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains("Gatehouse denied"), e.getMessage());
                for (String rule : c.rules()) {
                    assertTrue(e.getMessage().contains(rule), e.getMessage());
                }
            }
            case REVIEW -> {
                SQLException e = assertThrows(SQLException.class, () -> st.execute(sql));
                assertEquals("ZG001", e.getSQLState(), e.getMessage());
                for (String rule : c.rules()) {
                    assertTrue(e.getMessage().contains(rule), e.getMessage());
                }
            }
            case ALLOW -> {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    // The server may reject the text; Gatehouse must not have.
                    assertFalse(String.valueOf(e.getMessage()).contains("Gatehouse")
                            || String.valueOf(e.getSQLState()).startsWith("ZG"), e.toString());
                }
            }
        }
    }

    /**
     * A client encoding such as SJIS makes the server read {@code E'\x95\\'} as one character and a closing
     * quote, where the proxy, reading UTF-8, sees an escaped quote: the session is refused at startup, whether
     * the encoding is asked for directly or through {@code options}; UTF8 and SQL_ASCII (psql's choices) pass.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}={1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            client_encoding | SJIS                        | true
            client_encoding | gbk                         | true
            client_encoding | BIG5                        | true
            options         | -c client_encoding=GB18030  | true
            options         | --client-encoding=UHC       | true
            client_encoding | UTF8                        | false
            client_encoding | SQL_ASCII                   | false
            """)
    void multibyteClientEncodingsAreRefusedAtStartup(String parameter, String value, boolean refused) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (String part : new String[] {"user", "postgres", "database", "test", parameter, value}) {
                body.writeBytes(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                body.write(0);
            }
            body.write(0);
            java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
            out.writeInt(8 + body.size());
            out.writeInt(196608);
            out.write(body.toByteArray());
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            char type = (char) in.readUnsignedByte();
            byte[] payload = new byte[in.readInt() - 4];
            in.readFully(payload);
            String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
            if (refused) {
                assertEquals('E', type, text);
                assertTrue(text.contains("0A000") && text.contains("client encodings"), text);
            } else {
                assertEquals('R', type, "the server's authentication request: the session goes on");
            }
        }
    }

    private static List<Integer> ids() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            ids.add(-1); // the table is gone
        }
        return ids;
    }
}
