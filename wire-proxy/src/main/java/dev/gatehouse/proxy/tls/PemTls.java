package dev.gatehouse.proxy.tls;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * A PEM certificate chain and an unencrypted PKCS#8 private key ("BEGIN PRIVATE KEY"), as PostgreSQL's own
 * ssl_cert_file and ssl_key_file hold them (converted with {@code openssl pkcs8 -topk8 -nocrypt} when the key
 * is in the older RSA or EC form).
 */
public record PemTls(Path certificateChain, Path privateKey) implements TlsConfig {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";

    @Override
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain;
        try (var in = Files.newInputStream(certificateChain)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certificateChain);
        }
        PrivateKey key = readKey(Files.readString(privateKey, StandardCharsets.US_ASCII));
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gatehouse", key, password, chain.toArray(Certificate[]::new));
        return Contexts.serverContext(store, password);
    }

    /** The PKCS#8 block between its markers; the key's algorithm is found by trying the usual ones. */
    private PrivateKey readKey(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf(KEY_BEGIN);
        int end = pem.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(privateKey + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
        }
        String base64 = pem.substring(begin + KEY_BEGIN.length(), end);
        byte[] der = Base64.getMimeDecoder().decode(base64);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm in " + privateKey);
    }
}
