package dev.gatehouse.proxy;

import dev.gatehouse.proxy.tls.PemTls;
import dev.gatehouse.proxy.tls.Pkcs12Tls;
import dev.gatehouse.proxy.tls.TlsConfig;

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
        return new Pkcs12Tls(store, PASSWORD.toCharArray());
    }

    /** A PEM certificate and PKCS#8 key made by openssl with {@code keyAlgorithm} (e.g. "EC", "RSA"). */
    static PemTls pem(Path dir, String keyAlgorithm) throws Exception {
        Path cert = dir.resolve(keyAlgorithm + "-cert.pem");
        Path key = dir.resolve(keyAlgorithm + "-key.pem");
        String[] keyOptions = keyAlgorithm.equals("EC")
                ? new String[]{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}
                : new String[]{"-newkey", "rsa:2048"};
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("openssl", "req", "-x509"));
        cmd.addAll(java.util.List.of(keyOptions));
        cmd.addAll(java.util.List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-subj",
                "/CN=localhost", "-days", "2"));
        Cli.Result r = Cli.run("", cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new IllegalStateException("openssl failed: " + r.output());
        }
        return new PemTls(cert, key);
    }
}
