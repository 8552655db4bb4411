package dev.gatehouse.bench;

import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.catalog.Catalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The cached decision path of {@link Gate}: the same text again (target under 0.5 µs/op) and texts that
 * differ only in literals (target under 2 µs/op). For the latter the first variant seeds the fingerprint
 * entry and the others are answered through it (the gate does not store fingerprint hits under their exact
 * text), so each op pays one fingerprint of the text (for PostgreSQL, a scan by PostgreSQL's own scanner)
 * and one cache read; the set-up checks that this is the path measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:-DontCompileHugeMethods")
public class GateBenchmark {
    /** A policy of the usual size: a cache hit must not depend on how many rules there are. */
    static final String POLICY = """
            version: 1
            defaults: { unparsed: deny, otherwise: allow }
            approvers: { oncall: [ana, ben, cho] }
            rules:
              - { id: no-grants, match: { kinds: [PRIVILEGE] }, action: deny }
              - { id: exports, match: { kinds: [EXPORT] }, action: review, approvers: [oncall], quorum: 2 }
              - { id: card-numbers, match: { columns: [card_number, "payments.*.pan"] }, action: review }
              - { id: wide-deletes, match: { operations: [DELETE, TRUNCATE], unbounded: true }, action: deny }
            """;

    /** Distinct literal values cycled through, more than a CPU cache line of keys but far under the cache bound. */
    static final int VARIANTS = 4096;

    private Gate gate;
    private final Principal principal = Principal.of("orders-service");
    private String repeated;
    private String[] literalVariants;
    private int next;

    @Setup
    public void setUp() throws PolicyException {
        Policy policy = Policy.parse("bench.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        gate = new Gate(new Analyzer(Dialect.POSTGRES, Catalog.EMPTY), policy, 100_000);
        repeated = "SELECT id, status, total FROM orders WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 20";
        literalVariants = new String[VARIANTS];
        for (int i = 0; i < VARIANTS; i++) {
            literalVariants[i] = "SELECT id, status, total FROM orders WHERE customer_id = " + (1000 + i) + " AND status = 's" + i + "'";
        }
        // Were a variant analysed and stored by its exact text, or a decision not cached at all, the figures
        // would time another path: the seed must leave its exact text and its shape, the next variant nothing.
        gate.decide(literalVariants[0], "public", principal);
        long seeded = gate.cachedEntries();
        gate.decide(literalVariants[1], "public", principal);
        if (seeded != 2 || gate.cachedEntries() != seeded) {
            throw new IllegalStateException("literal variants are not answered by shape: " + seeded + " then "
                    + gate.cachedEntries() + " cache entries");
        }
        gate.decide(repeated, "public", principal);
        if (gate.cachedEntries() <= seeded) {
            throw new IllegalStateException("the repeated text is not cached");
        }
    }

    @Benchmark
    public Decision repeatedText() {
        return gate.decide(repeated, "public", principal);
    }

    @Benchmark
    public Decision literalOnlyDifference() {
        String sql = literalVariants[next];
        next = (next + 1) & (VARIANTS - 1);
        return gate.decide(sql, "public", principal);
    }
}
