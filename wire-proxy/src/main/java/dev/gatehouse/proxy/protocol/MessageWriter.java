package dev.gatehouse.proxy.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Builds one backend or frontend message the proxy makes itself (errors, notices, rewritten messages).
 * Not on the relay hot path: relayed messages are never re-encoded. Runs on whichever thread builds it.
 */
public final class MessageWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    private final boolean typed;
    private final Charset charset;

    /** A typed message ({@code type} is the first byte); 0 for the untyped startup-phase packets. UTF-8 text. */
    public MessageWriter(char type) {
        this(type, StandardCharsets.UTF_8);
    }

    /** As above, its strings written in {@code charset} (the client's client_encoding). */
    public MessageWriter(char type, Charset charset) {
        this.charset = charset;
        typed = type != 0;
        if (typed) {
            out.write(type);
        }
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(0);
    }

    public MessageWriter int8(int v) {
        out.write(v);
        return this;
    }

    public MessageWriter int16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public MessageWriter int32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public MessageWriter cstring(String s) {
        out.writeBytes(s.getBytes(charset));
        out.write(0);
        return this;
    }

    public MessageWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** The finished message with its length word filled in. */
    public byte[] toBytes() {
        byte[] b = out.toByteArray();
        int start = typed ? 1 : 0;
        int length = b.length - start;
        b[start] = (byte) (length >>> 24);
        b[start + 1] = (byte) (length >>> 16);
        b[start + 2] = (byte) (length >>> 8);
        b[start + 3] = (byte) length;
        return b;
    }
}
