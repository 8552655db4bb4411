package dev.gatehouse.approvals.bench;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.Outcome;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Submissions;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark-style main (not a unit test): requests opened per second on H2 and PostgreSQL, and the time from
 * an approval on one instance to the release of a waiter on another sharing PostgreSQL. Run with
 * {@code java -cp <test classpath> dev.gatehouse.approvals.bench.ApprovalsBench [seconds] [threads]}.
 */
public final class ApprovalsBench {
    private ApprovalsBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        for (String kind : List.of("h2", "postgres", "mysql")) {
            createRate(kind, seconds, threads);
        }
        releaseLatency(TestStores.postgres(), Duration.ofSeconds(30), 200,
                "PostgreSQL LISTEN/NOTIFY (poll 30 s, so notifications alone)");
        releaseLatency(TestStores.mysql(), ServiceOptions.defaults().pollInterval(), 50,
                "MySQL/MariaDB bounded polling (default poll 500 ms)");
    }

    private static void createRate(String kind, int seconds, int threads) throws Exception {
        TestStores ts = TestStores.of(kind);
        try (Store store = ts.open(); ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
            AtomicLong n = new AtomicLong();
            long warmEnd = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warmEnd) {
                s.open(Submissions.simple("select ssn from users where id = " + n.incrementAndGet(), Submissions.dba(1)));
            }
            n.set(0);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long t0 = System.nanoTime();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    ex.submit(() -> {
                        long i = 0;
                        while (System.nanoTime() < end) {
                            s.open(Submissions.simple("update users set ssn = null where id = " + id + "_" + i++, Submissions.dba(1)));
                            n.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("create %-8s threads=%d pool=4: %.0f requests/s (%d in %.1f s)%n", kind, threads, n.get() / secs, n.get(), secs);
        } finally {
            ts.drop();
        }
    }

    private static void releaseLatency(TestStores ts, Duration poll, int rounds, String how) throws Exception {
        try (Store sa = ts.open(); Store sb = ts.open();
             ApprovalService a = new ApprovalService(sa, Submissions.APPROVERS, ServiceOptions.defaults().withPollInterval(poll), null);
             ApprovalService b = new ApprovalService(sb, Submissions.APPROVERS, ServiceOptions.defaults().withPollInterval(poll), null);
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < rounds + 20; i++) {
                String id = a.open(Submissions.simple("delete from users where id = " + i, Submissions.dba(1))).requestId();
                long[] woke = new long[1];
                Future<Outcome> w = ex.submit(() -> {
                    Outcome o = a.await(id, Duration.ofSeconds(10));
                    woke[0] = System.nanoTime();
                    return o;
                });
                Thread.sleep(20);
                long t0 = System.nanoTime();
                b.vote(id, "alice", Vote.Choice.APPROVE, "", "api");
                if (!(w.get() instanceof Outcome.Approved)) {
                    throw new IllegalStateException("not released by approval");
                }
                if (i >= 20) {
                    micros.add((woke[0] - t0) / 1_000);
                }
            }
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("release across instances, %s, vote call start -> waiter awake, %d rounds:"
                            + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", how, sorted.length,
                    pct(sorted, 50) / 1e3, pct(sorted, 90) / 1e3, pct(sorted, 99) / 1e3, sorted[sorted.length - 1] / 1e3);
        } finally {
            ts.drop();
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
