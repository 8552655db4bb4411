package dev.gatehouse.proxy.tls;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * The certificate and key the proxy presents to clients that ask for TLS. Loaded once when the proxy starts;
 * bad material stops it from starting rather than letting it serve plain text. A closed set.
 */
public sealed interface TlsConfig permits Pkcs12Tls, PemTls {

    /** Runs on the thread that starts the proxy. */
    SSLContext sslContext() throws IOException, GeneralSecurityException;
}
