package dev.gatehouse.bench;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.classify.Classification;
import dev.gatehouse.sql.classify.Classifier;
import dev.gatehouse.sql.lex.Fingerprint;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.Splitter;
import dev.gatehouse.sql.lex.Tokens;
import dev.gatehouse.sql.pg.PgFingerprint;
import dev.gatehouse.sql.pg.PgQuery;
import dev.gatehouse.sql.pg.PgScan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The token-level half of the hot path: the fingerprint every cache lookup computes, and lex + split +
 * classify of an uncached statement (lineage is measured separately).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar LexClassifyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LexClassifyBenchmark {
    @Param({
            "SELECT id, name, email FROM users WHERE id = 42",
            "UPDATE accounts SET balance = balance - 100.00, updated_at = now() WHERE id = 7 AND version = 3",
            "SELECT o.id, c.name, SUM(i.qty * i.price) FROM orders o JOIN customers c ON c.id = o.customer_id "
                    + "JOIN items i ON i.order_id = o.id WHERE o.created_at > '2024-01-01' GROUP BY o.id, c.name"
    })
    public String sql;

    private final Classifier classifier = new Classifier(Dialect.POSTGRES);

    /**
     * The lexer's literal-free form: the decision cache's shape key for MySQL, and for PostgreSQL before the
     * native reader (what a literal-varying statement cost on an exact-text miss), kept to compare with
     * {@link #pgFingerprint}.
     */
    @Benchmark
    public String fingerprint() {
        return Fingerprint.withLiteralForms(sql, Dialect.POSTGRES);
    }

    /** The shape key the decision cache uses for PostgreSQL text now: one scan by PostgreSQL's own scanner. */
    @Benchmark
    public String pgFingerprint() {
        return PgFingerprint.of(sql);
    }

    /** The JNI scan alone, so that the native call's cost can be told from building the key. */
    @Benchmark
    public PgScan pgScan() {
        return PgQuery.scan(sql, true);
    }

    @Benchmark
    public Classification lexSplitClassify() throws LexException {
        Tokens tokens = Lexer.lex(sql, Dialect.POSTGRES);
        List<Span> spans = Splitter.spans(tokens);
        return classifier.classify(tokens, spans.get(0), Map.of());
    }
}
