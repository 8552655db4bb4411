package dev.gatehouse.proxy;

import java.nio.file.Path;

/** Self-signed certificates for the proxy's TLS, made by the JDK's own keytool. */
final class TestCertificates {
    static final String PASSWORD = "test-pass";

    private TestCertificates() {
    }

    /** A fresh PKCS#12 key store in {@code dir} for CN=localhost / 127.0.0.1, valid two days. */
    static TlsConfig selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("proxy.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Cli.Result r = Cli.run("", keytool, "-genkeypair", "-alias", "proxy", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        if (r.exit() != 0) {
            throw new IllegalStateException("keytool failed: " + r.output());
        }
        return new TlsConfig(store, PASSWORD.toCharArray());
    }
}
