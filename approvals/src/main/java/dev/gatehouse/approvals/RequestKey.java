package dev.gatehouse.approvals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The scope of an approval as one hash: SQL text, parameter values, principal, acting-for human, database and
 * the search path (or MySQL current database) the names were resolved with.
 * An identical re-submission while pending joins the request with the same key, and an approval is consumed
 * only by a submission with the same key. Each part is length-prefixed so that no two different scopes can
 * be spelled the same way. Stateless; runs on the caller's thread.
 */
public final class RequestKey {
    private RequestKey() {
    }

    public static String of(Submission s) {
        MessageDigest md = sha256();
        part(md, s.sql());
        md.update((byte) s.parameters().size());
        for (String p : s.parameters()) {
            part(md, p);
        }
        part(md, s.principal());
        part(md, s.actingFor());
        part(md, s.source().database());
        part(md, s.searchPath());
        return HexFormat.of().formatHex(md.digest());
    }

    private static void part(MessageDigest md, String value) {
        if (value == null) {
            md.update((byte) 0);
            return;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        md.update((byte) 1);
        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
