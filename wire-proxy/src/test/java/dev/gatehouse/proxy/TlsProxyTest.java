package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS between client and proxy with a self-signed certificate made by the JDK's keytool. */
class TlsProxyTest {
    @TempDir
    static Path dir;
    static ProxyFixture tls;
    static ProxyFixture plain;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("proxy.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Cli.Result r = Cli.run("", keytool, "-genkeypair", "-alias", "proxy", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "test-pass", "-keypass",
                "test-pass");
        assertEquals(0, r.exit(), r.output());
        tls = new ProxyFixture(Limits.DEFAULTS, new TlsConfig(store, "test-pass".toCharArray()));
        plain = new ProxyFixture();
    }

    @AfterAll
    static void stop() {
        tls.close();
        plain.close();
    }

    @Test
    void pgjdbcRequiresTls() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + tls.port() + "/test?sslmode=require";
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'over tls'")) {
            rs.next();
            assertEquals("over tls", rs.getString(1));
            assertThrows(SQLException.class, () -> s.execute("SELECT 'gh_deny'"));
        }
    }

    @Test
    void psqlReportsAnEncryptedConnection() throws Exception {
        Cli.Result r = Cli.run("\\conninfo\nSELECT 'rows over tls';\n", "psql", "-X",
                "host=127.0.0.1 port=" + tls.port() + " user=postgres dbname=test sslmode=require");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SSL connection (protocol: TLSv1.3"), r.output());
        assertTrue(r.output().contains("rows over tls"), r.output());
    }

    @Test
    void withoutCertificateTlsIsRefusedCleanly() throws Exception {
        String base = "jdbc:postgresql://127.0.0.1:" + plain.port() + "/test?sslmode=";
        SQLException e = assertThrows(SQLException.class,
                () -> java.sql.DriverManager.getConnection(base + "require", "postgres", "").close());
        assertTrue(e.getMessage().contains("does not support SSL"), e.getMessage());
        try (Connection c = java.sql.DriverManager.getConnection(base + "prefer", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void gssEncryptionIsRefusedAndPsqlFallsBack() throws Exception {
        Cli.Result r = Cli.run("SELECT 'no gss';\n", "psql", "-X",
                "host=127.0.0.1 port=" + plain.port() + " user=postgres dbname=test gssencmode=prefer sslmode=disable");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("no gss"), r.output());
    }
}
