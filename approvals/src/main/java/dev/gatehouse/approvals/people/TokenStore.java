package dev.gatehouse.approvals.people;

import dev.gatehouse.approvals.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Approver tokens: {@code ght_<base64url(name)>.<32 random bytes, base64url>}. Only the SHA-256 of a token is
 * stored; a presented token is hashed and compared with {@link MessageDigest#isEqual} (constant time). The name
 * prefix finds the row without comparing hashes across approvers. Issuing again replaces the old token.
 * Thread-safe; called on HTTP server threads and by the CLI.
 */
public final class TokenStore {
    private static final String PREFIX = "ght_";
    private static final int MAX_TOKEN_LENGTH = 1024;
    private final Store store;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(Store store) {
        this.store = store;
    }

    /** Creates (or replaces) {@code approver}'s token and returns it: the only time it is ever visible. */
    public String issue(String approver) {
        if (approver == null || approver.isBlank() || approver.length() > 256) {
            throw new IllegalArgumentException("an approver name is 1 to 256 characters");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = PREFIX + b64.encodeToString(approver.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(secret);
        String hash = sha256(token);
        store.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM gh_token WHERE approver = ?")) {
                d.setString(1, approver);
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO gh_token (approver, token_hash, created_at) VALUES (?,?,?)")) {
                p.setString(1, approver);
                p.setString(2, hash);
                p.setLong(3, System.currentTimeMillis());
                p.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /** The approver a token belongs to, or empty for a missing, malformed or wrong token. */
    public Optional<String> authenticate(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int sep = token.indexOf('.', PREFIX.length());
        if (sep < 0) {
            return Optional.empty();
        }
        String name;
        try {
            name = new String(Base64.getUrlDecoder().decode(token.substring(PREFIX.length(), sep)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] presented = sha256(token).getBytes(StandardCharsets.US_ASCII);
        Optional<String> stored = store.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT token_hash FROM gh_token WHERE approver = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (stored.isPresent() && MessageDigest.isEqual(presented, stored.get().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(name);
        }
        return Optional.empty();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
