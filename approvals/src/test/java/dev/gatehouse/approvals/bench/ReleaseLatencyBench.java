package dev.gatehouse.approvals.bench;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.Outcome;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.approvals.Submissions;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.http.ApiServer;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.requester.RemoteRequester;
import dev.gatehouse.approvals.store.Store;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark-style main (not a unit test), issue 14: how long a held statement waits after the deciding vote, before
 * and after front ends moved to serve's requester API, in one run. A front end holds (opens, waits, claims on
 * approval, as its hold does) through its {@link RequesterPort}; an approver approves through serve's HTTP API; the
 * time is from sending the vote to the waiter holding its claimed approval.
 * <ul>
 *   <li>before: the front end's own embedded service over the store serve also opens (H2: it learns of the vote at
 *       its next poll; PostgreSQL: by LISTEN/NOTIFY);</li>
 *   <li>after: {@link RemoteRequester} to serve, whose long poll is answered as soon as serve's own waiter is woken.</li>
 * </ul>
 * Run with {@code java -cp <test classpath> dev.gatehouse.approvals.bench.ReleaseLatencyBench [rounds]}.
 */
public final class ReleaseLatencyBench {
    private ReleaseLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        for (String kind : List.of("h2", "postgres")) {
            TestStores ts = TestStores.of(kind);
            try (Store serveStore = ts.open(); Store frontEndStore = ts.open();
                 ApprovalService serve = new ApprovalService(serveStore, Submissions.APPROVERS, ServiceOptions.defaults(), null);
                 ApprovalService embedded = new ApprovalService(frontEndStore, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
                TokenStore tokens = new TokenStore(serveStore);
                String alice = tokens.issue("alice");
                String credential = tokens.issueRequester("bench", List.of("*"), true).token();
                try (ApiServer api = new ApiServer(serve, tokens, null, null, new InetSocketAddress("127.0.0.1", 0)).start();
                     RemoteRequester remote = new RemoteRequester("http://127.0.0.1:" + api.port(), credential, null,
                             AuditSettings.DEFAULT)) {
                    String url = "http://127.0.0.1:" + api.port();
                    report(kind + " store, before: embedded service (" + (kind.equals("h2") ? "poll 500 ms" : "LISTEN/NOTIFY") + ")",
                            measure(embedded, url, alice, rounds, kind + "-before"));
                    report(kind + " store, after:  serve's requester API (long poll)", measure(remote, url, alice, rounds, kind + "-after"));
                }
            } finally {
                ts.drop();
            }
        }
    }

    private static long[] measure(RequesterPort port, String url, String token, int rounds, String tag) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Long> micros = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < rounds + 5; i++) {
                Submission s = Submissions.of("agent-7", null, "delete from t where id = " + i + " /* " + tag + " */",
                        List.of(), Submissions.dba(1));
                String id = port.open(s).requestId();
                long[] woke = new long[1];
                Future<Boolean> waiter = ex.submit(() -> {
                    Outcome o = port.await(id, Duration.ofSeconds(20));
                    boolean ran = o instanceof Outcome.Approved && port.claim(id, s);
                    woke[0] = System.nanoTime();
                    return ran;
                });
                Thread.sleep(50); // the waiter is waiting
                long t0 = System.nanoTime();
                HttpResponse<String> vote = http.send(HttpRequest.newBuilder(URI.create(url + "/api/requests/" + id + "/approve"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (vote.statusCode() != 200 || !waiter.get()) {
                    throw new IllegalStateException("not released by the approval: " + vote.body());
                }
                if (i >= 5) {
                    micros.add((woke[0] - t0) / 1_000);
                }
            }
        }
        return micros.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void report(String what, long[] sorted) {
        System.out.printf("release after the vote, %-62s %d rounds: median %.1f ms, p90 %.1f ms, max %.1f ms%n", what,
                sorted.length, sorted[sorted.length / 2] / 1e3, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.9))] / 1e3,
                sorted[sorted.length - 1] / 1e3);
    }
}
