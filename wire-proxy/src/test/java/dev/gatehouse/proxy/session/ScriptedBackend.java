package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.FrameReader;
import dev.gatehouse.proxy.protocol.MessageWriter;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server end of a scripted session, on its own thread: records every message the proxy forwards and answers
 * it from a script, with the protocol's bookkeeping (ParseComplete, BindComplete, CloseComplete, ReadyForQuery,
 * skipping to Sync after an error in the extended protocol). What a statement does is the script's: the test
 * states the messages PostgreSQL answers to that text. Not a database: it runs nothing.
 */
final class ScriptedBackend implements Runnable {
    /** What running one text answers; the Query's ReadyForQuery carries {@code status}. */
    record Script(List<byte[]> messages, char status) {
    }

    static final String SEARCH_PATH = "\"$user\", public";

    /** The proxy's messages as they arrived: "Q:text", "P:name:text", "B:portal:statement", "E:portal", "C:S:name"... */
    final List<String> received = new CopyOnWriteArrayList<>();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> parseErrors = new ConcurrentHashMap<>();
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, String> statements = new HashMap<>();
    private final Map<String, String> portals = new HashMap<>();
    private volatile long syncDelayMillis;
    private boolean skipping;

    ScriptedBackend(InputStream fromProxy, OutputStream toProxy) {
        this.in = fromProxy;
        this.out = toProxy;
        // The proxy's probe of the session, sent as its own statement (Parse, Bind, Execute... Sync).
        script(SessionSettings.PROBE_SQL, 'I', dataRow(SEARCH_PATH, "postgres"), commandComplete("SELECT 1"));
    }

    /** Running {@code sql} (as a Query or an Execute) answers {@code messages}. */
    void script(String sql, char status, byte[]... messages) {
        scripts.put(sql, new Script(List.of(messages), status));
    }

    /** A Parse of {@code sql} fails (as a syntax error would). */
    void parseFails(String sql) {
        parseErrors.put(sql, 1);
    }

    /** The next Syncs are answered only after this long: answers the proxy must wait for, not outrun. */
    void delaySyncs(long millis) {
        syncDelayMillis = millis;
    }

    @Override
    public void run() {
        FrameReader reader = new FrameReader(in, 1 << 20);
        try {
            send(new MessageWriter('Z').int8('I').toBytes()); // authentication done
            Frame frame;
            while ((frame = reader.read()) != null) {
                if (!answer(frame)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the session closed its end
        }
    }

    private boolean answer(Frame frame) throws IOException {
        PayloadReader body = new PayloadReader(frame.body(), 0, StandardCharsets.UTF_8);
        switch (frame.type()) {
            case 'Q' -> {
                String sql = body.cstring();
                received.add("Q:" + sql);
                if (sql.contains(Refusals.TOKEN_PREFIX)) {
                    send(syntaxError(sql), ready('I'));
                } else {
                    Script script = scripts.getOrDefault(sql, new Script(List.of(commandComplete("SELECT 0")), 'I'));
                    send(script.messages().toArray(byte[][]::new));
                    send(ready(script.status()));
                }
            }
            case 'P' -> {
                String name = body.cstring();
                String sql = body.cstring();
                received.add("P:" + name + ":" + sql);
                if (!skipping) {
                    if (sql.contains(Refusals.TOKEN_PREFIX) || parseErrors.containsKey(sql)) {
                        fail(syntaxError(sql));
                    } else if (!name.isEmpty() && statements.containsKey(name)) {
                        fail(error("42P05", "prepared statement \"" + name + "\" already exists"));
                    } else {
                        statements.put(name, sql);
                        send(new MessageWriter('1').toBytes());
                    }
                }
            }
            case 'B' -> {
                String portal = body.cstring();
                String statement = body.cstring();
                received.add("B:" + portal + ":" + statement);
                if (!skipping) {
                    portals.put(portal, statement);
                    send(new MessageWriter('2').toBytes());
                }
            }
            case 'E' -> {
                String portal = body.cstring();
                received.add("E:" + portal);
                if (!skipping) {
                    String statement = portals.get(portal);
                    String sql = statement == null ? null : statements.get(statement);
                    Script script = sql == null ? new Script(List.of(error("34000", "portal does not exist")), 'I')
                            : scripts.getOrDefault(sql, new Script(List.of(commandComplete("SELECT 0")), 'I'));
                    for (byte[] m : script.messages()) {
                        send(m);
                        skipping |= m[0] == 'E';
                    }
                }
            }
            case 'C' -> {
                byte target = body.int8();
                String name = body.cstring();
                received.add("C:" + (char) target + ":" + name);
                if (!skipping) {
                    (target == 'S' ? statements : portals).remove(name);
                    send(new MessageWriter('3').toBytes());
                }
            }
            case 'D' -> {
                received.add("D");
                if (!skipping) {
                    send(new MessageWriter('n').toBytes());
                }
            }
            case 'S' -> {
                received.add("S");
                long delay = syncDelayMillis;
                if (delay > 0) {
                    sleep(delay);
                }
                skipping = false;
                send(ready('I'));
            }
            case 'H' -> received.add("H");
            case 'X' -> {
                received.add("X");
                return false;
            }
            default -> received.add(String.valueOf((char) frame.type()));
        }
        return true;
    }

    private void fail(byte[] error) throws IOException {
        send(error);
        skipping = true;
    }

    private void send(byte[]... messages) throws IOException {
        for (byte[] m : messages) {
            out.write(m);
        }
        out.flush();
    }

    static byte[] commandComplete(String tag) {
        return new MessageWriter('C').cstring(tag).toBytes();
    }

    static byte[] error(String code, String message) {
        return new ErrorResponse("ERROR", code, message, null, null).encode();
    }

    static byte[] ready(char status) {
        return new MessageWriter('Z').int8(status).toBytes();
    }

    private static byte[] syntaxError(String sql) {
        return error("42601", "syntax error at or near \"" + sql.substring(Math.max(0, sql.lastIndexOf(' ') + 1))
                + "\"");
    }

    private static byte[] dataRow(String... values) {
        MessageWriter w = new MessageWriter('D').int16(values.length);
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            w.int32(b.length).bytes(b);
        }
        return w.toBytes();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The backend messages in {@code bytes} as "type" strings, "C:tag", "E:code", "Z:status". */
    static List<String> describe(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i + 5 <= bytes.length) {
            char type = (char) bytes[i];
            int length = ((bytes[i + 1] & 0xff) << 24) | ((bytes[i + 2] & 0xff) << 16) | ((bytes[i + 3] & 0xff) << 8)
                    | (bytes[i + 4] & 0xff);
            if (i + 1 + length > bytes.length) {
                break;
            }
            String body = new String(bytes, i + 5, length - 4, StandardCharsets.UTF_8);
            out.add(switch (type) {
                case 'C' -> "C:" + body.substring(0, body.indexOf('\0'));
                case 'E' -> "E:" + field(body, 'C');
                case 'Z' -> "Z:" + body.charAt(0);
                default -> String.valueOf(type);
            });
            i += 1 + length;
        }
        return out;
    }

    private static String field(String body, char code) {
        for (String f : body.split("\0")) {
            if (!f.isEmpty() && f.charAt(0) == code) {
                return f.substring(1);
            }
        }
        return "";
    }
}
