package dev.gatehouse.approvals.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookDispatcherTest {

    private static final String SECRET = "generic-hook-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fast retries so the tests spend their time on HTTP, not on sleeping. */
    private static HookConfig config(int queueCapacity, int maxInFlight, int maxAttempts, Duration requestTimeout,
            Duration closeWait) {
        return new HookConfig(queueCapacity, maxInFlight, maxAttempts, Duration.ofSeconds(2), requestTimeout,
                Duration.ofMillis(10), Duration.ofMillis(50), 50, closeWait);
    }

    private static HookConfig fast(int maxAttempts) {
        return config(64, 4, maxAttempts, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static HookTarget generic(LoopbackReceiver receiver) {
        return new HookTarget(HookTarget.Kind.GENERIC, receiver.url("/hook"), Secret.of(SECRET), Set.of());
    }

    private static HookEvent created(String requestId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("principal", "agent-7");
        payload.put("acting_for", "bob");
        payload.put("sql", "DELETE FROM orders");
        payload.put("dialect", "POSTGRES");
        payload.put("kinds", List.of("WRITE", "UNBOUNDED"));
        payload.put("tables", List.of("public.orders"));
        payload.put("rules", List.of("no-unbounded-writes"));
        payload.put("source", "proxy 10.0.0.5 psql");
        payload.put("approve_url", "https://gatehouse.example.com/requests/" + requestId);
        return new HookEvent(HookEvent.REQUEST_CREATED, requestId, Instant.parse("2026-11-21T20:00:00Z"), payload);
    }

    /** Waits (bounded) until the counters satisfy {@code condition}; the wait is a bound, not a measurement. */
    private static HookCounters awaitCounters(HookDispatcher dispatcher, Predicate<HookCounters> condition)
            throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            HookCounters counters = dispatcher.counters();
            if (condition.test(counters)) {
                return counters;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("counters never reached the expected state: " + dispatcher.counters());
    }

    /** The receiver's own check: recompute the signature from the header timestamp and the raw body. */
    private static void assertSignedBy(String secret, LoopbackReceiver.Received r) {
        String timestamp = r.header("X-Gatehouse-Timestamp");
        assertNotNull(timestamp, "timestamp header");
        assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) <= 300,
                "timestamp inside the 5 minute window");
        assertEquals(TestSigning.gatehouse(secret, timestamp, new String(r.body(), StandardCharsets.UTF_8)),
                r.header("X-Gatehouse-Signature"));
    }

    @Test
    void genericHookIsSignedAndCarriesTheAgreedBody() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), fast(3))) {
            dispatcher.publish(created("r-1"));
            LoopbackReceiver.Received r = receiver.next();

            assertSignedBy(SECRET, r);
            assertEquals("request.created", r.header("X-Gatehouse-Event"));
            assertEquals(r.header("X-Gatehouse-Delivery"), UUID.fromString(r.header("X-Gatehouse-Delivery")).toString());
            assertTrue(r.header("Content-Type").startsWith("application/json"));
            JsonNode body = JSON.readTree(r.body());
            assertEquals("request.created", body.get("type").asText());
            assertEquals("r-1", body.get("request_id").asText());
            assertEquals("2026-11-21T20:00:00Z", body.get("at").asText());
            assertEquals("DELETE FROM orders", body.get("payload").get("sql").asText());
            assertEquals("UNBOUNDED", body.get("payload").get("kinds").get(1).asText());
            awaitCounters(dispatcher, c -> c.delivered() == 1);
        }
    }

    @Test
    void aSignatureWithAnotherSecretDoesNotVerify() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), fast(1))) {
            dispatcher.publish(created("r-2"));
            LoopbackReceiver.Received r = receiver.next();
            String expectedWithWrongKey = TestSigning.gatehouse("not-the-secret", r.header("X-Gatehouse-Timestamp"),
                    new String(r.body(), StandardCharsets.UTF_8));
            assertFalse(expectedWithWrongKey.equals(r.header("X-Gatehouse-Signature")));
        }
    }

    @Test
    void retriesAfterServerErrorsWithTheSameDeliveryIdAndFreshSignatures() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> n <= 2 ? 500 : 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), fast(5))) {
            dispatcher.publish(created("r-3"));
            LoopbackReceiver.Received first = receiver.next();
            LoopbackReceiver.Received second = receiver.next();
            LoopbackReceiver.Received third = receiver.next();
            for (LoopbackReceiver.Received r : List.of(first, second, third)) {
                assertSignedBy(SECRET, r);
                assertEquals(first.header("X-Gatehouse-Delivery"), r.header("X-Gatehouse-Delivery"));
            }
            HookCounters counters = awaitCounters(dispatcher, c -> c.delivered() == 1);
            assertEquals(2, counters.retries());
            assertEquals(0, counters.failed());
            assertTrue(dispatcher.recentFailures().isEmpty());
        }
    }

    @Test
    void retriesAfterATimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HookConfig shortTimeout = config(64, 4, 3, Duration.ofMillis(300), Duration.ofSeconds(5));
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> {
                 if (n == 1) {
                     release.await(); // the first answer never comes in time
                 }
                 return 200;
             });
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), shortTimeout)) {
            dispatcher.publish(created("r-4"));
            LoopbackReceiver.Received first = receiver.next();
            LoopbackReceiver.Received retry = receiver.next();
            assertEquals(first.header("X-Gatehouse-Delivery"), retry.header("X-Gatehouse-Delivery"));
            HookCounters counters = awaitCounters(dispatcher, c -> c.delivered() == 1);
            assertEquals(1, counters.retries());
            release.countDown();
        }
    }

    @Test
    void givesUpAfterMaxAttemptsAndShowsIt() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 503);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), fast(3))) {
            dispatcher.publish(created("r-5"));
            awaitCounters(dispatcher, c -> c.failed() == 1);
            assertEquals(3, receiver.requestCount());
            List<DeliveryFailure> failures = dispatcher.recentFailures();
            assertEquals(1, failures.size());
            DeliveryFailure failure = failures.get(0);
            assertEquals(3, failure.attempts());
            assertEquals("r-5", failure.requestId());
            assertEquals("request.created", failure.eventType());
            assertTrue(failure.reason().contains("HTTP 503"), failure.reason());
            assertEquals(receiver.url("").toString(), failure.target(), "scheme, host and port only");
            assertFalse(failure.deliveryId().isEmpty());
        }
    }

    @Test
    void anUnreachableReceiverIsAFailureNotAnException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HookTarget nowhere = new HookTarget(HookTarget.Kind.GENERIC,
                URI.create("http://127.0.0.1:" + closedPort + "/hook"), Secret.of(SECRET), null);
        try (HookDispatcher dispatcher = new HookDispatcher(List.of(nowhere), fast(2))) {
            dispatcher.publish(created("r-6"));
            awaitCounters(dispatcher, c -> c.failed() == 1);
            DeliveryFailure failure = dispatcher.recentFailures().get(0);
            assertEquals(2, failure.attempts());
            assertTrue(failure.reason().startsWith("connection refused"), failure.reason());
        }
    }

    @ParameterizedTest(name = "{0}: HTTP {1} -> {2} request(s), delivered={3}")
    @CsvSource({
        "success,                 200, 1, true",
        "no content,              204, 1, true",
        "redirect never followed, 302, 1, false",
        "bad request,             400, 1, false",
        "bad signature at target, 401, 1, false",
        "not found,               404, 1, false",
        "request timeout,         408, 2, false",
        "rate limited,            429, 2, false",
        "server error,            500, 2, false",
        "bad gateway,             502, 2, false",
    })
    void statusDecidesBetweenDoneRetryAndGiveUp(String name, int status, int expectedRequests, boolean delivered)
            throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> status);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), fast(2))) {
            dispatcher.publish(created("r-status"));
            HookCounters counters = awaitCounters(dispatcher, c -> c.delivered() + c.failed() == 1);
            assertEquals(delivered ? 1 : 0, counters.delivered());
            assertEquals(expectedRequests, receiver.requestCount());
        }
    }

    @Test
    void aFullQueueDropsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int capacity = 4;
        HookConfig tiny = config(capacity, 1, 1, Duration.ofSeconds(30), Duration.ofSeconds(5));
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> {
                 release.await();
                 return 200;
             });
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), tiny)) {
            dispatcher.publish(created("r-first"));
            receiver.next(); // the only worker is now stuck in the receiver; nothing leaves the queue
            int published = 100;
            for (int i = 0; i < published; i++) {
                dispatcher.publish(created("r-" + i));
            }
            // Every call returned (we got here) and exactly the overflow was dropped and recorded.
            HookCounters counters = dispatcher.counters();
            assertEquals(1 + capacity, counters.accepted());
            assertEquals(published - capacity, counters.dropped());
            List<DeliveryFailure> failures = dispatcher.recentFailures();
            assertEquals(50, failures.size(), "ring holds the latest failureHistory entries");
            assertEquals("queue full", failures.get(0).reason());
            assertEquals(0, failures.get(0).attempts());
            assertEquals("r-99", failures.get(failures.size() - 1).requestId());
            release.countDown();
            awaitCounters(dispatcher, c -> c.delivered() == 1 + capacity);
        }
    }

    @Test
    void concurrentPublishersLoseNothingUncounted() throws Exception {
        int threads = 8;
        int perThread = 200;
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)),
                     config(16, 4, 1, Duration.ofSeconds(5), Duration.ofSeconds(10)))) {
            List<Thread> publishers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                publishers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        dispatcher.publish(created("r-" + id + "-" + i));
                    }
                }));
            }
            for (Thread publisher : publishers) {
                publisher.join();
            }
            HookCounters counters = awaitCounters(dispatcher, c -> c.delivered() + c.failed() == c.accepted());
            // Every event is either accepted (and then delivered) or dropped with a record: none vanishes.
            assertEquals(threads * perThread, counters.accepted() + counters.dropped());
            assertEquals(counters.accepted(), counters.delivered());
            assertEquals(counters.delivered(), receiver.requestCount());
        }
    }

    @Test
    void targetsOnlyGetTheEventTypesTheyAskedFor() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200)) {
            HookTarget onlyCreated = new HookTarget(HookTarget.Kind.GENERIC, receiver.url("/created"),
                    Secret.of(SECRET), Set.of(HookEvent.REQUEST_CREATED));
            try (HookDispatcher dispatcher = new HookDispatcher(List.of(onlyCreated), fast(1))) {
                dispatcher.publish(new HookEvent(HookEvent.VOTE_CAST, "r-7", Instant.now(), Map.of("approver", "dba1")));
                dispatcher.publish(created("r-7"));
                awaitCounters(dispatcher, c -> c.delivered() == 1);
                assertEquals(1, dispatcher.counters().accepted());
                assertEquals("request.created", receiver.next().header("X-Gatehouse-Event"));
            }
            assertEquals(1, receiver.requestCount());
        }
    }

    @Test
    void closeDrainsQueuedDeliveriesThenRefusesNewOnes() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> {
            Thread.sleep(50);
            return 200;
        })) {
            HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)),
                    config(64, 1, 1, Duration.ofSeconds(2), Duration.ofSeconds(10)));
            for (int i = 0; i < 5; i++) {
                dispatcher.publish(created("r-drain-" + i));
            }
            dispatcher.close();
            assertEquals(5, dispatcher.counters().delivered());
            dispatcher.publish(created("r-late"));
            assertEquals(1, dispatcher.counters().dropped());
            assertEquals("dispatcher closed", dispatcher.recentFailures().get(0).reason());
        }
    }

    @Test
    void closeGivesUpOnAHungReceiverAfterItsWait() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> {
            never.await();
            return 200;
        })) {
            HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)),
                    config(64, 1, 1, Duration.ofSeconds(60), Duration.ofMillis(200)));
            dispatcher.publish(created("r-hung"));
            dispatcher.publish(created("r-queued"));
            receiver.next();
            dispatcher.close(); // returns after the bounded wait instead of hanging with the receiver
            HookCounters counters = dispatcher.counters();
            assertEquals(0, counters.delivered());
            assertEquals(2, counters.failed() + counters.dropped());
            assertTrue(dispatcher.recentFailures().stream().anyMatch(f -> f.reason().contains("close")));
            never.countDown();
        }
    }

    @Test
    void aPayloadThatIsNotJsonIsRecordedNotThrown() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(generic(receiver)), fast(1))) {
            dispatcher.publish(new HookEvent(HookEvent.REQUEST_CREATED, "r-8", Instant.now(),
                    Map.of("not_json", new Object())));
            awaitCounters(dispatcher, c -> c.failed() == 1);
            assertTrue(dispatcher.recentFailures().get(0).reason().startsWith("cannot render body"));
            assertEquals(0, receiver.requestCount());
        }
    }

    @Test
    void slackMessageShowsEachStatementAsTheServerReadsItWithDecisionButtons() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(new HookTarget(HookTarget.Kind.SLACK,
                     receiver.url("/services/T0/B0/token"), null, null)), fast(1))) {
            Map<String, Object> payload = new LinkedHashMap<>(created("r-9").payload());
            payload.put("sql", "SELECT * FROM t WHERE a < $1 AND b = '```' -- note\n; DELETE FROM t");
            payload.put("parameters", List.of("5 & 6"));
            payload.put("search_path", "billing, public");
            payload.put("impact", dev.gatehouse.approvals.Impact.measured(30).fields());
            dispatcher.publish(new HookEvent(HookEvent.REQUEST_CREATED, "r-9", Instant.now(), payload));
            LoopbackReceiver.Received r = receiver.next();
            assertNull(r.header("X-Gatehouse-Signature"), "Slack incoming webhooks are not signed by us");
            JsonNode message = JSON.readTree(r.body());

            assertTrue(message.get("text").asText().startsWith("Approval needed: agent-7 (for bob)"));
            JsonNode blocks = message.get("blocks");
            assertEquals("section", blocks.get(0).get("type").asText());
            assertTrue(blocks.get(0).get("text").get("text").asText().contains("*Tables:* public.orders"));
            assertTrue(blocks.get(0).get("text").get("text").asText().contains("*Search path:* billing, public"),
                    "unqualified names resolve through it: the approver sees it");
            assertTrue(blocks.get(0).get("text").get("text").asText().contains(
                    "*Would touch:* 30 rows (measured: counted inside a savepoint, then rolled back)"),
                    "what it would touch, labelled measured");

            assertEquals("mrkdwn", blocks.get(1).get("text").get("type").asText());
            assertEquals("*statement 1 of 2*\n```\n"
                            + "1 │ SELECT * FROM t WHERE a &lt; $1⟨= '5 &amp; 6'⟩ AND b = '``⟨U+0060 GRAVE ACCENT⟩' -- note\n"
                            + "  ┆ " + " ".repeat(74) + "~~~~~~~ comment\n"
                            + "2 │ ; \n```",
                    blocks.get(1).get("text").get("text").asText(), "the ``` in the text cannot close the code block");
            assertEquals("*statement 2 of 2*\n```\n2 │ DELETE FROM t\n```", blocks.get(2).get("text").get("text").asText());

            JsonNode actions = blocks.get(3);
            assertEquals("actions", actions.get("type").asText());
            assertEquals("gatehouse.approve", actions.get("elements").get(0).get("action_id").asText());
            assertEquals("r-9", actions.get("elements").get(0).get("value").asText());
            assertEquals("primary", actions.get("elements").get(0).get("style").asText());
            assertEquals("gatehouse.deny", actions.get("elements").get(1).get("action_id").asText());
            assertEquals("r-9", actions.get("elements").get(1).get("value").asText());

            JsonNode context = blocks.get(4);
            assertEquals("<https://gatehouse.example.com/requests/r-9|Open request r-9 in Gatehouse>",
                    context.get("elements").get(0).get("text").asText());
        }
    }

    /** Whatever a chat message cannot show whole, it offers no decision on: that is made on the page. */
    @TestFactory
    Stream<DynamicTest> slackOffersNoButtonsForWhatItCannotShowWhole() {
        record Case(String name, Map<String, Object> changes) {
        }
        Map<String, Object> longText = Map.of("sql", "SELECT 1 -- " + "x".repeat(5000));
        Map<String, Object> prefix = Map.of("sql", "SELECT 1", "sql_truncated", true);
        Map<String, Object> values = Map.of("sql", "SELECT $1", "parameters", List.of("v"), "parameters_truncated", true);
        Map<String, Object> many = Map.of("sql", "SELECT 1;".repeat(SlackMessage.MAX_STATEMENTS + 1));
        return Stream.of(new Case("a statement longer than a section", longText),
                        new Case("a payload holding a prefix of the text", prefix),
                        new Case("a payload holding a prefix of the values", values),
                        new Case("more statements than a message holds", many))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
                         HookDispatcher dispatcher = new HookDispatcher(List.of(new HookTarget(HookTarget.Kind.SLACK,
                                 receiver.url("/services/T0/B0/token"), null, null)), fast(1))) {
                        Map<String, Object> payload = new LinkedHashMap<>(created("r-12").payload());
                        payload.putAll(c.changes());
                        dispatcher.publish(new HookEvent(HookEvent.REQUEST_CREATED, "r-12", Instant.now(), payload));
                        JsonNode message = JSON.readTree(receiver.next().body());
                        StringBuilder all = new StringBuilder();
                        for (JsonNode block : message.get("blocks")) {
                            assertFalse("actions".equals(block.get("type").asText()), "no buttons: " + block);
                            assertTrue(block.toString().length() < 3200, "each section within Slack's limit");
                            all.append(block);
                        }
                        assertTrue(all.toString().contains("Too long to show here whole: decide on the page"), all.toString());
                    }
                }));
    }

    @Test
    void slackDecisionMessageSaysTheOutcomeAndHasNoButtons() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(new HookTarget(HookTarget.Kind.SLACK,
                     receiver.url("/services/T0/B0/token"), null, null)), fast(1))) {
            Map<String, Object> payload = new LinkedHashMap<>(created("r-10").payload());
            payload.put("votes", List.of(Map.of("approver", "dba1", "approve", true)));
            dispatcher.publish(new HookEvent(HookEvent.REQUEST_APPROVED, "r-10", Instant.now(), payload));
            JsonNode message = JSON.readTree(receiver.next().body());
            assertTrue(message.get("text").asText().startsWith("Approved: request r-10"));
            for (JsonNode block : message.get("blocks")) {
                assertFalse("actions".equals(block.get("type").asText()), "no buttons once decided");
            }
            assertTrue(message.get("blocks").get(0).get("text").get("text").asText().contains("approver=dba1"));
        }
    }

    @Test
    void teamsCardIsAMessageCardWithAnOpenUriToTheApprovalPage() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver(n -> 200);
             HookDispatcher dispatcher = new HookDispatcher(List.of(new HookTarget(HookTarget.Kind.TEAMS,
                     receiver.url("/webhookb2/abc"), null, null)), fast(1))) {
            Map<String, Object> payload = new LinkedHashMap<>(created("r-11").payload());
            payload.put("sql", "SELECT *  FROM customers -- who\nWHERE id = $1");
            payload.put("parameters", List.of("[7]"));
            payload.put("search_path", null);
            payload.put("impact", dev.gatehouse.approvals.Impact.estimated(1200, 35.5, "EXPLAIN on PostgreSQL").fields());
            dispatcher.publish(new HookEvent(HookEvent.REQUEST_CREATED, "r-11", Instant.now(), payload));
            JsonNode card = JSON.readTree(receiver.next().body());

            assertEquals("MessageCard", card.get("@type").asText());
            assertEquals("https://schema.org/extensions", card.get("@context").asText());
            assertTrue(card.get("summary").asText().startsWith("Approval needed"));
            assertTrue(card.get("themeColor").asText().matches("[0-9A-F]{6}"));
            Map<String, String> facts = new LinkedHashMap<>();
            for (JsonNode fact : card.get("sections").get(0).get("facts")) {
                facts.put(fact.get("name").asText(), fact.get("value").asText());
            }
            assertEquals("agent-7", facts.get("Requester"));
            assertEquals("bob", facts.get("Acting for"));
            assertEquals("the server's default", facts.get("Search path"));
            assertEquals("about 1200 rows, cost 35.50 \\(estimated: EXPLAIN on PostgreSQL\\)", facts.get("Would touch"),
                    "what it would touch, labelled estimated");
            assertEquals("1\u00A0│\u00A0SELECT\u00A0\\*\u00A0\u00A0FROM\u00A0customers\u00A0⟪--\u00A0who⟫\n\n"
                            + "2\u00A0│\u00A0WHERE\u00A0id\u00A0=\u00A0$1⟨=\u00A0'\\[7\\]'⟩", facts.get("statement 1 of 1"),
                    "markdown can neither eat the star nor join the lines or the spaces; the comment is marked");
            assertFalse(facts.containsKey("Shown in part"));
            assertEquals("x".repeat(1998) + "…", TeamsCard.truncate("x".repeat(1998) + "\uD83D\uDE00" + "y".repeat(10), 2000),
                    "a cut through an emoji drops the whole pair, not half of it");
            JsonNode action = card.get("potentialAction").get(0);
            assertEquals("OpenUri", action.get("@type").asText());
            assertEquals("default", action.get("targets").get(0).get("os").asText());
            assertEquals("https://gatehouse.example.com/requests/r-11", action.get("targets").get(0).get("uri").asText());
        }
    }
}
