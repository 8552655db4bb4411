package dev.gatehouse.proxy.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one message body. Every read checks the bounds, so a lying message ends in a
 * {@link ProtocolException}, never in an index error. Runs on whichever thread decodes the message.
 */
public final class PayloadReader {
    private final byte[] bytes;
    private final Charset charset;
    private int position;

    /** Strings read as UTF-8 (the server's messages the proxy reads, startup packets). */
    public PayloadReader(byte[] bytes, int offset) {
        this(bytes, offset, StandardCharsets.UTF_8);
    }

    /** Strings read in {@code charset}: the client's current client_encoding. */
    public PayloadReader(byte[] bytes, int offset, Charset charset) {
        this.bytes = bytes;
        this.position = offset;
        this.charset = charset;
    }

    /** The charset strings are read in. */
    public Charset charset() {
        return charset;
    }

    public int remaining() {
        return bytes.length - position;
    }

    public byte int8() throws ProtocolException {
        need(1);
        return bytes[position++];
    }

    public short int16() throws ProtocolException {
        need(2);
        short v = (short) (((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff));
        position += 2;
        return v;
    }

    public int int32() throws ProtocolException {
        need(4);
        int v = ((bytes[position] & 0xff) << 24) | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
        position += 4;
        return v;
    }

    /**
     * An unsigned 16-bit count of items that each take at least {@code minItemBytes} further bytes, checked
     * against the bytes really left before a caller sizes an array by it: a 7-byte message must not make the
     * proxy allocate 65535 slots.
     */
    public int count16(int minItemBytes) throws ProtocolException {
        int count = int16() & 0xffff;
        if ((long) count * minItemBytes > remaining()) {
            throw new ProtocolException("message shorter than its contents");
        }
        return count;
    }

    /** A NUL-terminated string in this reader's charset. */
    public String cstring() throws ProtocolException {
        int start = position;
        int end = start;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        if (end == bytes.length) {
            throw new ProtocolException("string without terminator");
        }
        position = end + 1;
        return new String(bytes, start, end - start, charset);
    }

    /** {@code length} bytes, or null for the protocol's -1 (SQL NULL). */
    public byte[] bytesOrNull(int length) throws ProtocolException {
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new ProtocolException("negative length " + length);
        }
        need(length);
        byte[] out = new byte[length];
        System.arraycopy(bytes, position, out, 0, length);
        position += length;
        return out;
    }

    public void expectEnd() throws ProtocolException {
        if (position != bytes.length) {
            throw new ProtocolException("trailing bytes in message");
        }
    }

    private void need(int n) throws ProtocolException {
        if (bytes.length - position < n) {
            throw new ProtocolException("message shorter than its contents");
        }
    }
}
