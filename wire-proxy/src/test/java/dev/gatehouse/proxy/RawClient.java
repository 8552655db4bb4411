package dev.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare protocol client for the tests that need exact message sequences or broken frames. Writes messages
 * by hand; reads backend messages as "type" or "E:SQLSTATE" or "Z:status" strings. Public (in wire-proxy's
 * test jar) for the cli's load test, where a thousand pgjdbc connections would measure pgjdbc.
 */
public final class RawClient implements AutoCloseable {
    public final Socket socket;
    public final DataInputStream in;
    final OutputStream out;
    /** The message field ('M') of the last ErrorResponse read, for tests that check what a person is told. */
    String lastErrorMessage;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects and completes startup (trust authentication) up to the first ReadyForQuery. */
    public static RawClient started(int port) throws IOException {
        RawClient c = connecting(port);
        c.untilReady(1);
        return c;
    }

    /** Connects and sends the StartupMessage (user postgres, database test, then {@code parameters} as pairs). */
    public static RawClient connecting(int port, String... parameters) throws IOException {
        RawClient c = new RawClient(port);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int32(b, 196608);
        cstring(b, "user");
        cstring(b, "postgres");
        cstring(b, "database");
        cstring(b, "test");
        for (String p : parameters) {
            cstring(b, p);
        }
        b.write(0);
        byte[] body = b.toByteArray();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        int32(packet, body.length + 4);
        packet.writeBytes(body);
        c.out.write(packet.toByteArray());
        c.out.flush();
        return c;
    }

    /** Reads messages until {@code readies} ReadyForQuery messages arrived. */
    public List<String> untilReady(int readies) throws IOException {
        List<String> seen = new ArrayList<>();
        int ready = 0;
        while (ready < readies) {
            String m = next();
            if (m.startsWith("Z")) {
                ready++;
            }
            if (!m.equals("S") && !m.equals("K") && !m.equals("R") && !m.equals("N")) {
                seen.add(m);
            }
        }
        return seen;
    }

    public String next() throws IOException {
        byte type = in.readByte();
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return switch (type) {
            case 'Z' -> "Z:" + (char) body[0];
            case 'E' -> {
                lastErrorMessage = field(body, 'M');
                yield "E:" + field(body, 'C');
            }
            default -> String.valueOf((char) type);
        };
    }

    private static String field(byte[] body, char code) {
        int i = 0;
        while (i < body.length && body[i] != 0) {
            int end = i + 1;
            while (body[end] != 0) {
                end++;
            }
            if (body[i] == code) {
                return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return "";
    }

    public void send(byte[]... messages) throws IOException {
        for (byte[] m : messages) {
            out.write(m);
        }
        out.flush();
    }

    static byte[] message(char type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        int32(b, body.length + 4);
        b.writeBytes(body);
        return b.toByteArray();
    }

    public static byte[] query(String sql) {
        return query(sql, StandardCharsets.UTF_8);
    }

    /** A Query with the text in {@code charset}, as a client with that client_encoding sends it. */
    public static byte[] query(String sql, Charset charset) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        cstring(b, sql, charset);
        return message('Q', b.toByteArray());
    }

    public static byte[] parse(String name, String sql) {
        return parse(name, sql, StandardCharsets.UTF_8);
    }

    public static byte[] parse(String name, String sql, Charset charset) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        cstring(b, name);
        cstring(b, sql, charset);
        int16(b, 0);
        return message('P', b.toByteArray());
    }

    /** Bind with text parameters. */
    public static byte[] bind(String portal, String statement, String... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        cstring(b, portal);
        cstring(b, statement);
        int16(b, 0);
        int16(b, values.length);
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            int32(b, bytes.length);
            b.writeBytes(bytes);
        }
        int16(b, 0);
        return message('B', b.toByteArray());
    }

    public static byte[] execute(String portal) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        cstring(b, portal);
        int32(b, 0);
        return message('E', b.toByteArray());
    }

    static byte[] describePortal(String portal) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write('P');
        cstring(b, portal);
        return message('D', b.toByteArray());
    }

    /** Close of a statement ('S') or portal ('P'). */
    public static byte[] close(char target, String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(target);
        cstring(b, name);
        return message('C', b.toByteArray());
    }

    static byte[] flush() {
        return message('H', new byte[0]);
    }

    public static byte[] sync() {
        return message('S', new byte[0]);
    }

    static void int32(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    static void int16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    static void cstring(ByteArrayOutputStream b, String s) {
        cstring(b, s, StandardCharsets.UTF_8);
    }

    static void cstring(ByteArrayOutputStream b, String s, Charset charset) {
        b.writeBytes(s.getBytes(charset));
        b.write(0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
