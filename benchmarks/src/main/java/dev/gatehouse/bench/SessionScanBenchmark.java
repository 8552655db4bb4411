package dev.gatehouse.bench;

import dev.gatehouse.enforce.session.SqlScan;
import dev.gatehouse.sql.pg.PgQuery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The front ends' session scan ({@link SqlScan#of}), which the proxy runs on every simple query and every Parse and
 * the driver on every statement: a repeated text (a cache hit; {@code repeatedFresh} as the proxy sees it, a new
 * String per message, so its hash is computed each time) and a text never seen before (PostgreSQL's scanner, and its
 * parser when a token may change the session).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar SessionScanBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionScanBenchmark {
    @Param({"SELECT id, name FROM users WHERE id = $1", "SET search_path = billing, public"})
    public String sql;

    private char[] chars;
    private long n;

    @Setup
    public void setUp() {
        if (!PgQuery.available()) throw new IllegalStateException(PgQuery.unavailableReason());
        chars = sql.toCharArray();
    }

    @Benchmark
    public SqlScan repeated() {
        return SqlScan.of(sql);
    }

    @Benchmark
    public SqlScan repeatedFresh() {
        return SqlScan.of(new String(chars));
    }

    /** A new text each time (a comment with a counter): the cost of an uncached reading, and its cache entry. */
    @Benchmark
    public SqlScan novel() {
        return SqlScan.of(sql + " /* " + n++ + " */");
    }
}
