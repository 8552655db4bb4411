package dev.gatehouse.proxy;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;

/**
 * The certificate and key the proxy presents to clients that ask for TLS, from a PKCS#12 key store. Loaded
 * once at start; a bad file or password stops the proxy from starting rather than silently serving plain
 * text. The password never appears in {@link #toString()}.
 */
public record TlsConfig(Path keyStore, char[] password) {

    public TlsConfig {
        password = password.clone();
    }

    SSLContext sslContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsConfig t && t.keyStore.equals(keyStore) && Arrays.equals(t.password, password);
    }

    @Override
    public int hashCode() {
        return keyStore.hashCode();
    }

    @Override
    public String toString() {
        return "TlsConfig[keyStore=" + keyStore + ", password=***]";
    }
}
