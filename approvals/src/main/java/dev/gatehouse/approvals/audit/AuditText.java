package dev.gatehouse.approvals.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Bounds what an audit record keeps of a statement and its bound values. A statement (after redaction, if
 * any) of at most {@link #MAX_SQL_BYTES} is kept whole; a longer one keeps its first {@link #MAX_SQL_BYTES}
 * and is marked: {@code sql_truncated: true}, {@code sql_bytes} (the whole text's length) and {@code sql_sha256}
 * (of the whole text), so the record still pins down exactly which text it was. Bound values share one budget
 * of {@link #MAX_PARAMETER_BYTES} the same way.
 *
 * <p>Why 64 KiB: the audit shows people what was asked and decided, and a statement's first 64 KiB shows its
 * shape (a held multi-megabyte INSERT is its head and a long run of rows); held statements keep their whole
 * text in the request, which the hash matches. A record stays small enough for a SIEM event and a JSON line,
 * and a client sending denied statements of up to the proxy's 64 MiB message limit cannot grow the audit
 * table by 64 MiB per statement. Sizes count UTF-8 bytes, the unit the record is stored and hashed in.
 *
 * <p>Lengths and hashes are over the text's UTF-8 bytes, an unpaired surrogate counting as its 3-byte
 * generalized UTF-8 form (which no well-formed text has), so {@code sha256sum} of the statement's file gives
 * {@code sql_sha256}, and texts differing only in a lone surrogate still hash apart. Stateless; any thread.
 */
public final class AuditText {
    /** The most of a statement's text an audit record keeps, in UTF-8 bytes. */
    public static final int MAX_SQL_BYTES = 64 * 1024;
    /** The most of a submission's bound values (all together, in order) an audit record keeps, in UTF-8 bytes. */
    public static final int MAX_PARAMETER_BYTES = 64 * 1024;

    private AuditText() {
    }

    /**
     * Puts {@code sql} under {@code key}, cut to {@link #MAX_SQL_BYTES} and marked when longer:
     * {@code key_truncated}, {@code key_bytes}, {@code key_sha256}. Short text is put as it is, nothing added,
     * so records of ordinary statements look as they always did.
     */
    public static void putSql(Map<String, Object> data, String key, String sql) {
        if (sql == null) {
            data.put(key, null);
            return;
        }
        int cut = prefixLength(sql, MAX_SQL_BYTES);
        if (cut == sql.length()) {
            data.put(key, sql);
            return;
        }
        data.put(key, sql.substring(0, cut));
        data.put(key + "_truncated", true);
        data.put(key + "_bytes", utf8Length(sql));
        data.put(key + "_sha256", sha256(sql));
    }

    /**
     * Puts bound values under {@code parameters}: in order while the shared budget lasts, the value that
     * overruns it cut, later ones left out. When anything was cut or left out: {@code parameters_truncated},
     * {@code parameters_count} (how many there were) and {@code parameters_sha256}, the SHA-256 of the whole
     * list as canonical JSON ({@link CanonicalJson#write(List)}).
     */
    public static void putParameters(Map<String, Object> data, List<String> values) {
        List<Object> kept = new ArrayList<>();
        long left = MAX_PARAMETER_BYTES;
        boolean cut = false;
        for (String v : values) {
            if (v == null) {
                kept.add(null);
                continue;
            }
            long size = utf8Length(v);
            if (size <= left) {
                kept.add(v);
                left -= size;
                continue;
            }
            cut = true;
            if (left > 0) {
                kept.add(v.substring(0, prefixLength(v, (int) left)));
            }
            break;
        }
        data.put("parameters", kept);
        if (cut) {
            data.put("parameters_truncated", true);
            data.put("parameters_count", values.size());
            data.put("parameters_sha256", sha256(CanonicalJson.write(values)));
        }
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a surrogate pair. */
    static int prefixLength(String s, int maxBytes) {
        long bytes = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            int units = pair ? 2 : 1;
            int size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes + size > maxBytes) {
                return i;
            }
            bytes += size;
            i += units;
        }
        return i;
    }

    /** UTF-8 length; an unpaired surrogate counts 3 bytes (see the class comment). */
    static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        return bytes;
    }

    /** SHA-256 (hex) of the UTF-8 bytes; an unpaired surrogate is its 3-byte generalized form, never a '?'. */
    public static String sha256(String s) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        byte[] buf = new byte[8192];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (n > buf.length - 4) {
                md.update(buf, 0, n);
                n = 0;
            }
            int cp = s.charAt(i);
            if (Character.isHighSurrogate((char) cp) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint((char) cp, s.charAt(++i));
            }
            if (cp < 0x80) {
                buf[n++] = (byte) cp;
            } else if (cp < 0x800) {
                buf[n++] = (byte) (0xC0 | cp >> 6);
                buf[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                buf[n++] = (byte) (0xE0 | cp >> 12);
                buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                buf[n++] = (byte) (0xF0 | cp >> 18);
                buf[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[n++] = (byte) (0x80 | cp & 0x3F);
            }
        }
        md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }
}
