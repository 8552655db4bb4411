package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Close;
import dev.gatehouse.proxy.protocol.frontend.Execute;
import dev.gatehouse.proxy.protocol.frontend.Parse;

import java.io.ByteArrayOutputStream;

/**
 * The proxy's own statements as it sends them: in the extended protocol, each as Parse, Bind, Execute and the
 * Close of its portal and statement, under a name of the proxy's. Never a simple Query: that would drop the
 * client's unnamed statement, which a later Bind of the client's may still use; and a named statement and portal
 * leave the client's unnamed ones as they were.
 *
 * <p>Threads: stateless.
 */
final class OwnStatements {
    /**
     * The statement and portal name; closed again at once, so it never stays in the session. Random per process,
     * so that a client cannot prepare a statement under it beforehand (the proxy's first Close would drop it).
     */
    static final String NAME = "gatehouse_own_" + Long.toHexString(new java.security.SecureRandom().nextLong());

    private OwnStatements() {
    }

    /** Every statement's messages, in order; the server answers each with {@link Intercept#ANSWERS_PER_STATEMENT}. */
    static byte[] encode(String... statements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(80 * statements.length);
        for (String sql : statements) {
            write(out, Parse.encode(NAME, sql), Bind.encode(NAME, NAME, null));
        }
        return out.toByteArray();
    }

    /**
     * One statement from its Parse and Bind: first a Close of the name, since a statement whose Execute failed
     * (a COMMIT that could not commit) never reached its own Close (the server skipped it) and would stand in the
     * way of the next; closing a name that does not exist is no error. Then it runs, and its portal and statement
     * are closed again.
     */
    static void write(ByteArrayOutputStream out, byte[] parse, byte[] bind) {
        out.writeBytes(Close.encode('S', NAME));
        out.writeBytes(parse);
        out.writeBytes(bind);
        out.writeBytes(Execute.encode(NAME));
        out.writeBytes(Close.encode('P', NAME));
        out.writeBytes(Close.encode('S', NAME));
    }
}
