package dev.gatehouse.proxy.tls;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;

/** A PKCS#12 key store and its password. The password never appears in {@link #toString()}. */
public record Pkcs12Tls(Path keyStore, char[] password) implements TlsConfig {

    public Pkcs12Tls {
        password = password.clone();
    }

    @Override
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        return Contexts.serverContext(store, password);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pkcs12Tls t && t.keyStore.equals(keyStore) && Arrays.equals(t.password, password);
    }

    @Override
    public int hashCode() {
        return keyStore.hashCode();
    }

    @Override
    public String toString() {
        return "Pkcs12Tls[keyStore=" + keyStore + ", password=***]";
    }
}
