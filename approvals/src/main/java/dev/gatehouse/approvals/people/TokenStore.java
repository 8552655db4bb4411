package dev.gatehouse.approvals.people;

import dev.gatehouse.approvals.audit.AuditLog;
import dev.gatehouse.approvals.audit.AuditRecord;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.policy.Glob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials serve's API accepts, in two kinds that never overlap:
 * <ul>
 *   <li>a person's token, {@code ght_<base64url(name)>.<32 random bytes, base64url>}: an approver (votes where the
 *       policy makes them eligible, sees the requests they may vote on), or an admin (also sees every request);</li>
 *   <li>a requester credential, {@code ghr_<base64url(name)>.<secret>}: what a front end (driver, proxy) holds to
 *       open, wait on, claim and withdraw requests for the principals it is scoped to, and nothing else.</li>
 * </ul>
 * Only the SHA-256 of a token is stored; a presented token is hashed and compared with {@link MessageDigest#isEqual}
 * (constant time); the name prefix finds the row. Credentials are issued, listed and revoked only through the
 * store (the operator's {@code gatehouse approver|requester} commands): no API route mints one, and a host
 * holding only a requester credential holds no store credentials. Issuing never replaces an existing credential
 * unless asked to, and every issue, replacement and revocation is audited in the same transaction.
 *
 * <p>Threads: thread-safe; called on HTTP server threads and by the CLI.
 */
public final class TokenStore {
    private static final String PERSON_PREFIX = "ght_";
    private static final String REQUESTER_PREFIX = "ghr_";
    private static final int MAX_TOKEN_LENGTH = 1024;
    private static final int MAX_NAME = 256;
    /** The most principal patterns one requester credential names. */
    public static final int MAX_PRINCIPALS = 64;

    private final Store store;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(Store store) {
        this.store = store;
    }

    /** Who presented a token. A closed set: the API switches over it to decide what the caller may do. */
    public sealed interface Credential permits Person, Requester {
        String name();
    }

    /**
     * An approver's token. Whether they may vote on a request is the policy's to say ({@link Approvers}).
     *
     * @param admin sees every request (and its history), not only those they may vote on
     */
    public record Person(String name, boolean admin) implements Credential {
    }

    /**
     * A front end's credential: it may open, wait on, claim and withdraw requests, and audit decisions, for
     * principals matching {@code principals} (globs: {@code *} any run, {@code ?} one character), and nothing else.
     */
    public record Requester(String name, List<String> principals) implements Credential {
        public Requester {
            principals = List.copyOf(principals);
        }

        /** Whether this credential may submit for {@code principal} (compared exactly, case included). */
        public boolean actsFor(String principal) {
            if (principal == null) {
                return false;
            }
            for (String p : principals) {
                if (Glob.matches(p, principal, false)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The two kinds of credential, as the commands and the audit name them. */
    public enum Kind {
        PERSON("ght_"), REQUESTER("ghr_");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A new token (shown this once) and whether it replaced one the name had. */
    public record Issued(String token, boolean replaced) {
    }

    /** One stored credential, never its hash. */
    public record Entry(Kind kind, String name, boolean admin, List<String> principals, Instant createdAt) {
    }

    /** The name already has a credential of that kind and replacing it was not asked for (a refusal, not a failure of the store). */
    public static final class AlreadyIssued extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public AlreadyIssued(String message) {
            super(message);
        }
    }

    /**
     * Creates (or replaces) {@code approver}'s token and returns it. For tests and callers that mean to replace;
     * the command asks for {@code --replace} and says when it did.
     */
    public String issue(String approver) {
        return issuePerson(approver, false, true).token();
    }

    /**
     * Issues a person's token: the only time it is ever visible.
     *
     * @param replace whether an existing token of {@code name} may be replaced (it stops working at once)
     * @throws AlreadyIssued when {@code name} has a token and {@code replace} is false
     */
    public Issued issuePerson(String name, boolean admin, boolean replace) {
        checkName(name);
        String token = newToken(Kind.PERSON, name);
        boolean replaced = store.inTransaction(c -> {
            boolean had = exists(c, "gh_token", "approver", name);
            if (had && !replace) {
                throw new AlreadyIssued(name + " already has a token; issuing another would stop theirs from working"
                        + " (say so with --replace, or revoke it first)");
            }
            delete(c, "gh_token", "approver", name);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO gh_token (approver, token_hash, created_at, admin) VALUES (?,?,?,?)")) {
                p.setString(1, name);
                p.setString(2, sha256(token));
                p.setLong(3, System.currentTimeMillis());
                p.setBoolean(4, admin);
                p.executeUpdate();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("kind", Kind.PERSON.wire());
            data.put("name", name);
            data.put("admin", admin);
            data.put("replaced", had);
            audit(c, "credential.issued", data);
            return had;
        });
        return new Issued(token, replaced);
    }

    /**
     * Issues a requester credential for a front end.
     *
     * @param principals the principals it may submit for: 1 to {@link #MAX_PRINCIPALS} names or globs
     * @throws AlreadyIssued when {@code name} has one and {@code replace} is false
     */
    public Issued issueRequester(String name, List<String> principals, boolean replace) {
        checkName(name);
        if (principals.isEmpty() || principals.size() > MAX_PRINCIPALS) {
            throw new IllegalArgumentException("a requester credential names 1 to " + MAX_PRINCIPALS + " principals");
        }
        for (String p : principals) {
            checkName(p);
        }
        String token = newToken(Kind.REQUESTER, name);
        boolean replaced = store.inTransaction(c -> {
            boolean had = exists(c, "gh_requester", "name", name);
            if (had && !replace) {
                throw new AlreadyIssued(name + " already has a requester credential; issuing another would stop the"
                        + " one in use from working (say so with --replace, or revoke it first)");
            }
            delete(c, "gh_requester", "name", name);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO gh_requester (name, token_hash, principals, created_at) VALUES (?,?,?,?)")) {
                p.setString(1, name);
                p.setString(2, sha256(token));
                p.setString(3, Json.write(principals));
                p.setLong(4, System.currentTimeMillis());
                p.executeUpdate();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("kind", Kind.REQUESTER.wire());
            data.put("name", name);
            data.put("principals", List.copyOf(principals));
            data.put("replaced", had);
            audit(c, "credential.issued", data);
            return had;
        });
        return new Issued(token, replaced);
    }

    /** Revokes {@code name}'s credential of {@code kind}: true when there was one (it stops working at once). */
    public boolean revoke(Kind kind, String name) {
        return store.inTransaction(c -> {
            boolean gone = kind == Kind.PERSON ? delete(c, "gh_token", "approver", name) : delete(c, "gh_requester", "name", name);
            if (gone) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("kind", kind.wire());
                data.put("name", name);
                audit(c, "credential.revoked", data);
            }
            return gone;
        });
    }

    /** Every credential of {@code kind}, by name. */
    public List<Entry> list(Kind kind) {
        return store.inTransaction(c -> {
            List<Entry> out = new ArrayList<>();
            String sql = kind == Kind.PERSON ? "SELECT approver, admin, created_at FROM gh_token ORDER BY approver"
                    : "SELECT name, principals, created_at FROM gh_requester ORDER BY name";
            try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(kind == Kind.PERSON
                            ? new Entry(kind, rs.getString(1), rs.getBoolean(2), List.of(), Instant.ofEpochMilli(rs.getLong(3)))
                            : new Entry(kind, rs.getString(1), false, principals(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
            return out;
        });
    }

    /** Who a token belongs to, or empty for a missing, malformed, revoked or wrong token. */
    public Optional<Credential> authenticate(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Kind kind = token.startsWith(PERSON_PREFIX) ? Kind.PERSON : token.startsWith(REQUESTER_PREFIX) ? Kind.REQUESTER : null;
        if (kind == null) {
            return Optional.empty();
        }
        int sep = token.indexOf('.', kind.prefix.length());
        if (sep < 0) {
            return Optional.empty();
        }
        String name;
        try {
            name = new String(Base64.getUrlDecoder().decode(token.substring(kind.prefix.length(), sep)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] presented = sha256(token).getBytes(StandardCharsets.US_ASCII);
        String sql = kind == Kind.PERSON ? "SELECT token_hash, admin FROM gh_token WHERE approver = ?"
                : "SELECT token_hash, principals FROM gh_requester WHERE name = ?";
        return store.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next() || !MessageDigest.isEqual(presented, rs.getString(1).getBytes(StandardCharsets.US_ASCII))) {
                        return Optional.<Credential>empty();
                    }
                    return Optional.of(kind == Kind.PERSON ? new Person(name, rs.getBoolean(2))
                            : new Requester(name, principals(rs.getString(2))));
                }
            }
        });
    }

    private String newToken(Kind kind, String name) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return kind.prefix + b64.encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(secret);
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("a name is 1 to " + MAX_NAME + " characters");
        }
    }

    private static boolean exists(Connection c, String table, String column, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + table + " WHERE " + column + " = ?" + " FOR UPDATE")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean delete(Connection c, String table, String column, String name) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
            d.setString(1, name);
            return d.executeUpdate() > 0;
        }
    }

    private static void audit(Connection c, String type, Map<String, Object> data) throws SQLException {
        AuditLog.append(c, new AuditRecord(type, null, "", "", System.currentTimeMillis(), data));
    }

    private static List<String> principals(String json) {
        return List.of(Json.read(json, String[].class));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
