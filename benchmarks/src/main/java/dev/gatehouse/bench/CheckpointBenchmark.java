package dev.gatehouse.bench;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.sql.Dialect;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The CPU the checkpoint spends on an allowed statement, without a database: what the driver adds to every
 * execute, measured apart from the network and server noise of {@link DriverBenchmark}. A prepared statement
 * (same text, new parameter list as the driver makes one per changed value) and a plain statement whose
 * literal changes every call (answered through the fingerprint).
 *
 * <p>Threads: JMH's benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckpointBenchmark {
    private ClientCheckpoint checkpoint;
    private Caller caller;
    private int next;
    private final String[] plain = new String[4096];

    @Setup
    public void setUp() throws PolicyException {
        Policy policy = Policy.parse("bench", DriverBenchmark.POLICY.getBytes(StandardCharsets.UTF_8));
        Supplier<ApprovalService> none = () -> {
            throw new IllegalStateException("an allowed statement must not need the approvals store");
        };
        checkpoint = new Checkpoint(policy, none, AuditSettings.DEFAULT, 10_000).forClient(Dialect.POSTGRES, Catalog.EMPTY);
        caller = new Caller(new Principal("orders-service", null), new Source(Source.Channel.DRIVER, "", "bench", "test"), null);
        for (int i = 0; i < plain.length; i++) {
            // Built beforehand: the string concatenation is the application's cost, not Gatehouse's.
            plain[i] = "SELECT v FROM " + DriverBenchmark.TABLE + " WHERE id = " + (i + 1);
        }
    }

    @Benchmark
    public Outcome prepared() {
        Object[] values = {++next};
        return checkpoint.check("SELECT v FROM " + DriverBenchmark.TABLE + " WHERE id = ?",
                Collections.unmodifiableList(Arrays.asList(values)), "\"$user\", public", caller);
    }

    @Benchmark
    public Outcome plainChangingLiteral() {
        next = (next + 1) & (plain.length - 1);
        return checkpoint.check(plain[next], null, "\"$user\", public", caller);
    }
}
