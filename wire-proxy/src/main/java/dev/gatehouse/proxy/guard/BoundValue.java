package dev.gatehouse.proxy.guard;

import java.nio.charset.Charset;

/**
 * One parameter value exactly as the client bound it.
 *
 * @param typeOid the type the client declared in Parse (0 when it left it to the server)
 * @param format  0 text, 1 binary (the protocol's format code)
 * @param value   the raw bytes, or null for SQL NULL; do not mutate (kept as sent, without copying)
 * @param charset the client_encoding the value was bound in, for reading a text value
 */
public record BoundValue(int typeOid, short format, byte[] value, Charset charset) {

    public static final short TEXT = 0;
    public static final short BINARY = 1;

    public boolean isNull() {
        return value == null;
    }

    /** The value as text when it was sent as text, else null (binary values are for the engine to decode). */
    public String text() {
        return value != null && format == TEXT ? new String(value, charset) : null;
    }
}
