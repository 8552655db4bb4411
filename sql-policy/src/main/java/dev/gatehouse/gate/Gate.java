package dev.gatehouse.gate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.lex.Fingerprint;
import dev.gatehouse.sql.pg.PgFingerprint;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one call the driver, the proxy and the command line make per submission: analyse, apply the policy,
 * remember the answer. Agents and ORMs repeat themselves, so decisions are cached (Caffeine, bounded) at two
 * levels: the exact text, then its literal-free shape (PostgreSQL's scanner's tokens, {@link PgFingerprint}; the
 * MySQL lexer's, {@link Fingerprint}) when no statement's analysis depended on
 * a literal. Every key holds the dialect, catalog version, policy version, default schema, session user and principal, so
 * a changed schema, policy, search path or identity can never be answered from an entry made for another.
 *
 * <p>Immutable and thread-safe; runs on the caller's thread. {@link #withPolicy} and {@link #withCatalog}
 * give new gates sharing this one's cache, which is safe precisely because of those keys.
 *
 * <p>Fails closed: any exception while analysing or deciding gives a {@link Verdict.Deny} with reason
 * {@code internal error: ...}, which is not cached (the next call tries again).
 */
public final class Gate {
    /** Enough for the distinct statements of a busy application; bounded so memory is too. */
    public static final int DEFAULT_MAXIMUM_SIZE = 10_000;
    /** Texts longer than this are decided but not cached: a few huge keys must not crowd out the hot set. */
    public static final int MAX_CACHED_LENGTH = 16 * 1024;

    /** How a gate reads submissions: the analyzer in production; a seam so tests can state the analysis. */
    @FunctionalInterface
    interface Analysis {
        List<StatementInfo> analyze(String submission, String defaultSchema, String sessionUser);
    }

    /** How a gate fingerprints text: {@link #fingerprint} in production. */
    @FunctionalInterface
    interface Fingerprinter {
        String of(String submission, Dialect dialect);
    }

    /**
     * A cache key. {@code shape} tells an exact text from a fingerprint, which could otherwise be equal
     * strings (a prepared statement's text with {@code ?} placeholders looks like a fingerprint).
     */
    record Key(String text, boolean shape, String defaultSchema, String sessionUser, Principal principal, String policyVersion,
               long catalogVersion, Dialect dialect) {
    }

    private final Cache<Key, Decision> cache;
    private final Dialect dialect;
    private final Catalog catalog;
    private final Analysis analysis;
    private final Fingerprinter fingerprinter;
    private final PolicyEngine engine;
    private final String policyVersion;
    private final long catalogVersion;

    public Gate(Analyzer analyzer, Policy policy) {
        this(analyzer, policy, DEFAULT_MAXIMUM_SIZE);
    }

    public Gate(Analyzer analyzer, Policy policy, int maximumSize) {
        this(newCache(maximumSize), analyzer.dialect(), analyzer.catalog(), analyzer::analyze, Gate::fingerprint, new PolicyEngine(policy));
    }

    Gate(Cache<Key, Decision> cache, Dialect dialect, Catalog catalog, Analysis analysis, Fingerprinter fingerprinter, PolicyEngine engine) {
        this.cache = cache;
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.analysis = analysis;
        this.fingerprinter = fingerprinter;
        this.engine = engine;
        this.policyVersion = engine.policy().version();
        this.catalogVersion = catalog.version();
    }

    /** The shape of a text as the dialect's own reader sees it: PostgreSQL's scanner, or the MySQL lexer. */
    static String fingerprint(String submission, Dialect dialect) {
        return dialect == Dialect.POSTGRES ? PgFingerprint.of(submission) : Fingerprint.withLiteralForms(submission, dialect);
    }

    static Cache<Key, Decision> newCache(int maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1");
        }
        // Maintenance (eviction, buffer drains) runs on the deciding thread: Caffeine's default hands it to the
        // common pool, which on a few cores wakes another thread on nearly every new statement text and takes the
        // core from the statement's own thread. The work is amortised and bounded by Caffeine's buffers.
        return Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    /** A gate deciding with another policy, sharing this gate's cache. */
    public Gate withPolicy(Policy policy) {
        return new Gate(cache, dialect, catalog, analysis, fingerprinter, new PolicyEngine(policy));
    }

    /** A gate reading through another catalog (for example after a schema change), sharing this gate's cache. */
    public Gate withCatalog(Catalog newCatalog) {
        Analyzer analyzer = new Analyzer(dialect, newCatalog);
        return new Gate(cache, dialect, newCatalog, analyzer::analyze, fingerprinter, engine);
    }

    public Policy policy() {
        return engine.policy();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The catalog this gate analyses with (a client's live metadata, a schema file, or none). */
    public Catalog catalog() {
        return catalog;
    }

    /** Approximate number of cached entries (exact texts and fingerprints). */
    public long cachedEntries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /**
     * Hot path: one key allocation and one cache read for a repeated text; no streams, no regex.
     *
     * @param submission    the text the client sent, possibly several statements
     * @param defaultSchema PostgreSQL search path (comma separated) or MySQL current database; may be null for none
     * @param principal     who submits it
     */
    public Decision decide(String submission, String defaultSchema, Principal principal) {
        return decide(submission, defaultSchema, null, principal, true);
    }

    /**
     * As {@link #decide(String, String, Principal)}, for a front end that knows the session's user: a statement
     * that changes nothing for that user ({@code SET ROLE} to it) is then decided as what it is.
     *
     * @param sessionUser the database user the session logged in as; null when not known
     */
    public Decision decide(String submission, String defaultSchema, String sessionUser, Principal principal) {
        return decide(submission, defaultSchema, sessionUser, principal, true);
    }

    /**
     * Hot path for callers that act on an allowed statement's verdict alone (the driver and the proxy run it
     * and need nothing else): as {@link #decide}, but a decision shared by shape is handed back as cached,
     * reporting the text that made it, which saves five allocations per literal-varying statement. A caller
     * that goes on to show, audit or hold the statement passes it through {@link #reporting} first.
     */
    public Decision decideForVerdict(String submission, String defaultSchema, Principal principal) {
        return decide(submission, defaultSchema, null, principal, false);
    }

    /** {@link #decideForVerdict(String, String, Principal)} with the session's user (null when not known). */
    public Decision decideForVerdict(String submission, String defaultSchema, String sessionUser, Principal principal) {
        return decide(submission, defaultSchema, sessionUser, principal, false);
    }

    /**
     * {@code decision} (from {@link #decideForVerdict} for {@code submission}) reporting the caller's own text:
     * the same object unless it was shared by shape and so reports another text. No second lookup or analysis.
     */
    public static Decision reporting(Decision decision, String submission) {
        if (decision.statements().size() != 1) {
            return decision; // only single statements are shared by shape
        }
        return decision.statements().get(0).statement().sql().equals(statementText(submission))
                ? decision : withText(decision, submission);
    }

    /** @param ownText whether a decision shared by shape must report {@code submission} as its statement's text */
    private Decision decide(String submission, String defaultSchema, String sessionUser, Principal principal,
                            boolean ownText) {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(principal, "principal");
        if (submission.length() > MAX_CACHED_LENGTH) {
            return decideUncached(submission, defaultSchema, sessionUser, principal);
        }
        Key exact = new Key(submission, false, defaultSchema, sessionUser, principal, policyVersion, catalogVersion, dialect);
        Decision hit = cache.getIfPresent(exact);
        return hit != null ? hit : miss(exact, submission, defaultSchema, sessionUser, principal, ownText);
    }

    /**
     * Hot path for literal-only differences: one fingerprint (a lexer pass) and one cache read.
     * Only single-statement submissions are shared by shape, because the decision handed back must carry
     * the caller's own text, and only there is the statement's text the whole submission.
     */
    private Decision miss(Key exact, String submission, String defaultSchema, String sessionUser, Principal principal,
                          boolean ownText) {
        try {
            String fingerprint = fingerprinter.of(submission, dialect);
            Key shape = fingerprint == null ? null
                    : new Key(fingerprint, true, defaultSchema, sessionUser, principal, policyVersion, catalogVersion, dialect);
            if (shape != null) {
                Decision shared = cache.getIfPresent(shape);
                if (shared != null) {
                    // Not stored under the exact text: literal-varying texts are mostly seen once, and would only churn the cache.
                    return ownText ? withText(shared, submission) : shared;
                }
            }
            List<StatementInfo> statements = analysis.analyze(submission, defaultSchema, sessionUser);
            Decision decision = engine.decide(statements, principal);
            cache.put(exact, decision);
            if (shape != null && shareableByShape(statements)) {
                cache.put(shape, decision);
            }
            return decision;
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(submission, e);
        }
    }

    private Decision decideUncached(String submission, String defaultSchema, String sessionUser, Principal principal) {
        try {
            return engine.decide(analysis.analyze(submission, defaultSchema, sessionUser), principal);
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(submission, e);
        }
    }

    /** A decision may be shared by texts of the same shape only if no literal influenced its analysis. */
    private static boolean shareableByShape(List<StatementInfo> statements) {
        return statements.size() == 1 && !statements.get(0).literalsMatter();
    }

    /** The shared decision, reporting the caller's text rather than the text that first made the entry. */
    private static Decision withText(Decision shared, String submission) {
        StatementDecision only = shared.statements().get(0);
        StatementInfo s = only.statement();
        StatementInfo own = new StatementInfo(statementText(submission), s.kinds(), s.operation(), s.tables(), s.reads(),
                s.writes(), s.functions(), s.unbounded(), s.lineageComplete(), s.literalsMatter(), s.notes(), s.rowCount());
        return new Decision(shared.verdict(), List.of(new StatementDecision(own, only.verdict(), only.rowLimits())),
                shared.policyVersion());
    }

    /** The submission without surrounding white space and its terminating semicolon, as statements report their text. */
    static String statementText(String submission) {
        int end = submission.length();
        while (end > 0 && Character.isWhitespace(submission.charAt(end - 1))) {
            end--;
        }
        if (end > 0 && submission.charAt(end - 1) == ';') {
            end--;
        }
        int start = 0;
        while (start < end && Character.isWhitespace(submission.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(submission.charAt(end - 1))) {
            end--;
        }
        return submission.substring(start, end);
    }

    private Decision internalError(String submission, Throwable e) {
        String reason = "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Verdict.Deny deny = new Verdict.Deny(List.of(), reason);
        StatementInfo unread = new StatementInfo(submission, Set.of(Kind.UNKNOWN), "UNKNOWN", List.of(), Set.of(), Set.of(),
                Set.of(), false, false, false, List.of(reason));
        return new Decision(deny, List.of(new StatementDecision(unread, deny)), policyVersion);
    }
}
