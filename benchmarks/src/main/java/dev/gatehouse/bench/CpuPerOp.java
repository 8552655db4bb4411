package dev.gatehouse.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JMH profiler ({@code -prof dev.gatehouse.bench.CpuPerOp}): CPU time per operation during each measurement
 * iteration, read from {@code /proc} (Linux only):
 * <ul>
 *   <li>{@code cpu.jvm}: this JVM's threads (benchmark threads, GC, JMH) except the JIT compiler threads;</li>
 *   <li>{@code cpu.jit}: the JIT compiler threads, reported apart: compilation still running in a measurement
 *       iteration means the warm-up was too short, and it is not a per-execute cost of either driver;</li>
 *   <li>{@code cpu.db}: the benchmark's PostgreSQL backends ({@code application_name = gh-bench});</li>
 *   <li>{@code cpu.total}: {@code cpu.jvm + cpu.db}, the CPU one execute costs end to end.</li>
 * </ul>
 * On a machine shared with other work, wall-clock time per op moves with whatever else runs on the core; CPU
 * time per op barely does, so Gatehouse's added CPU can be read from it even when end-to-end figures swing.
 *
 * <p>The last measurement iteration has no {@code cpu.db}/{@code cpu.total}: JMH runs the trial's tear-down
 * (closing the connections, so the backends exit) before this profiler's {@code afterIteration}. JMH's own
 * printed mean of those two then counts the missing value as zero; {@code driver-bench.sh} reads the
 * per-iteration values and takes the median of those present, so run at least three iterations.
 *
 * <p>Threads: JMH's control thread in the forked benchmark JVM, before and after each iteration.
 */
public final class CpuPerOp implements InternalProfiler {
    static final String PROBE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&ApplicationName="
            + DriverBenchmark.APPLICATION + "-cpu";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<String, Long> dbBefore = Map.of();
    private Map<String, Long> jitBefore = Map.of();
    private long jvmBefore;

    @Override
    public String getDescription() {
        return "CPU µs per op: this JVM and the gh-bench PostgreSQL backends";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        dbBefore = backendNanos();
        jitBefore = compilerThreadNanos();
        jvmBefore = os.getProcessCpuTime();
    }

    @Override
    public List<Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                       IterationResult result) {
        long process = os.getProcessCpuTime() - jvmBefore;
        long jit = 0;
        for (Map.Entry<String, Long> e : compilerThreadNanos().entrySet()) {
            jit += e.getValue() - jitBefore.getOrDefault(e.getKey(), 0L);
        }
        // Backends present at both ends only: the benchmark's connections stay open through the iteration.
        Map<String, Long> dbAfter = backendNanos();
        long db = 0;
        for (Map.Entry<String, Long> e : dbAfter.entrySet()) {
            Long before = dbBefore.get(e.getKey());
            if (before != null) {
                db += e.getValue() - before;
            }
        }
        long ops = result.getMetadata().getMeasuredOps();
        List<Result> out = new ArrayList<>();
        if (ops <= 0 || process < 0) {
            return out;
        }
        double jvmUs = (process - jit) / 1_000.0 / ops;
        out.add(new ScalarResult("cpu.jvm", jvmUs, "µs/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.jit", jit / 1_000.0 / ops, "µs/op", AggregationPolicy.AVG));
        if (!dbBefore.isEmpty() && !dbAfter.isEmpty()) {
            double dbUs = db / 1_000.0 / ops;
            out.add(new ScalarResult("cpu.db", dbUs, "µs/op", AggregationPolicy.AVG));
            out.add(new ScalarResult("cpu.total", jvmUs + dbUs, "µs/op", AggregationPolicy.AVG));
        }
        return out;
    }

    /** CPU nanoseconds of each gh-bench backend, by pid; a backend that ended meanwhile is left out. */
    private static Map<String, Long> backendNanos() {
        List<String> pids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PROBE_URL);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
                     + DriverBenchmark.APPLICATION + "'")) {
            while (rs.next()) {
                pids.add(Long.toString(rs.getLong(1)));
            }
        } catch (SQLException e) {
            return Map.of();
        }
        Map<String, Long> out = new HashMap<>();
        for (String pid : pids) {
            try {
                out.put(pid, schedNanos(Path.of("/proc", pid, "schedstat")));
            } catch (IOException | NumberFormatException gone) {
                // Ended between the query and the read.
            }
        }
        return out;
    }

    /** CPU nanoseconds of each live JIT compiler thread of this JVM, by thread id (names "C1/C2 CompilerThre..."). */
    private static Map<String, Long> compilerThreadNanos() {
        Map<String, Long> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        out.put(task.getFileName().toString(), schedNanos(task.resolve("schedstat")));
                    }
                } catch (IOException | NumberFormatException gone) {
                    // The thread ended between listing and reading: its time is still in the process total.
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    /** The first field of a schedstat file: nanoseconds spent on a CPU. */
    private static long schedNanos(Path schedstat) throws IOException {
        String s = Files.readString(schedstat);
        int space = s.indexOf(' ');
        return Long.parseLong(space < 0 ? s.trim() : s.substring(0, space));
    }
}
