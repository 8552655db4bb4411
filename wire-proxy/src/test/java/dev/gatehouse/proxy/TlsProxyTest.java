package dev.gatehouse.proxy;

import dev.gatehouse.proxy.tls.PemTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        tls = new ProxyFixture(Limits.DEFAULTS, TestCertificates.selfSigned(dir));
        plain = new ProxyFixture();
    }

    @AfterAll
    static void stop() {
        tls.close();
        plain.close();
    }

    /** Connects with {@code sslmode}, checks one allowed and one denied statement. */
    static void works(int port, String sslmode) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/test?sslmode=" + sslmode;
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'allowed'")) {
            rs.next();
            assertEquals("allowed", rs.getString(1));
            assertEquals("42501", assertThrows(SQLException.class, () -> s.execute("SELECT 'gh_deny'")).getSQLState());
        }
    }

    @Test
    void pgjdbcRequiresTls() throws Exception {
        works(tls.port(), "require");
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
        SQLException e = assertThrows(SQLException.class, () -> works(plain.port(), "require"));
        assertTrue(e.getMessage().contains("does not support SSL"), e.getMessage());
        works(plain.port(), "prefer");
    }

    @Test
    void gssEncryptionIsRefusedAndPsqlFallsBack() throws Exception {
        Cli.Result r = Cli.run("SELECT 'no gss';\n", "psql", "-X",
                "host=127.0.0.1 port=" + plain.port() + " user=postgres dbname=test gssencmode=prefer sslmode=disable");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("no gss"), r.output());
    }

    @ParameterizedTest(name = "PEM certificate and PKCS#8 key, {0}")
    @ValueSource(strings = {"EC", "RSA"})
    void pemKeyMaterial(String algorithm) throws Exception {
        try (ProxyFixture pem = new ProxyFixture(Limits.DEFAULTS, TestCertificates.pem(dir, algorithm))) {
            works(pem.port(), "require");
        }
    }

    @Test
    void unusableKeyMaterialStopsTheProxyFromStarting() throws Exception {
        Path notAKey = dir.resolve("not-a-key.pem");
        java.nio.file.Files.writeString(notAKey, "nothing here\n");
        PemTls ec = TestCertificates.pem(dir, "EC");
        Exception e = assertThrows(java.io.IOException.class,
                () -> new ProxyFixture(Limits.DEFAULTS, new PemTls(ec.certificateChain(), notAKey)).close());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }
}
