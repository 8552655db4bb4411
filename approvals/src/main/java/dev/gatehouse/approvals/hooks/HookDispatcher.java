package dev.gatehouse.approvals.hooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends hook events to their targets without ever holding up the caller.
 *
 * <p>{@link #publish} only offers one delivery per interested target to a bounded queue and, if fewer than
 * {@link HookConfig#maxInFlight()} workers run, starts one; when the queue is full the delivery is dropped
 * and recorded, because a statement must never wait on a web hook. Workers are virtual threads that drain
 * the queue and exit when it is empty, so an idle dispatcher holds no thread. Each delivery gets a unique
 * id (sent as {@code X-Gatehouse-Delivery}, the same on every retry so receivers can dedupe) and up to
 * {@link HookConfig#maxAttempts()} attempts with exponential backoff and jitter; every attempt is signed
 * afresh so a late retry still falls inside the receiver's timestamp window. Failures land in a bounded
 * ring ({@link #recentFailures()}) and in {@link #counters()}.
 *
 * <p>Headers on every request: {@code Content-Type: application/json; charset=utf-8},
 * {@code X-Gatehouse-Event}, {@code X-Gatehouse-Delivery}; and, when the target has a secret (always for
 * GENERIC), {@code X-Gatehouse-Timestamp: <unix seconds>} and
 * {@code X-Gatehouse-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}.
 *
 * <p>Threads: {@code publish} runs on the caller's thread (the statement path) and never blocks on I/O;
 * deliveries run on virtual threads started here; {@code close} runs on the closing thread and waits at
 * most {@link HookConfig#closeWait()} (plus one second for abandoned deliveries to record themselves).
 */
public final class HookDispatcher implements AutoCloseable {

    /** Grace after the close wait for interrupted deliveries to record their failure. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(1);
    private static final String USER_AGENT = "Gatehouse-Hooks/1";
    private static final System.Logger LOG = System.getLogger(HookDispatcher.class.getName());

    private final List<HookTarget> targets;
    private final HookConfig config;
    private final Clock clock;
    private final ExecutorService httpExecutor;
    private final HttpClient client;
    private final ArrayBlockingQueue<Delivery> queue;
    private final Semaphore workerPermits;
    private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    private final RecentFailures failures;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean abandoned;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private record Delivery(HookTarget target, HookEvent event) {
    }

    public HookDispatcher(List<HookTarget> targets) {
        this(targets, HookConfig.DEFAULTS);
    }

    public HookDispatcher(List<HookTarget> targets, HookConfig config) {
        this(targets, config, Clock.systemUTC());
    }

    /** With an explicit clock, for the signature timestamps. */
    public HookDispatcher(List<HookTarget> targets, HookConfig config, Clock clock) {
        this.targets = List.copyOf(targets);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.workerPermits = new Semaphore(config.maxInFlight());
        this.failures = new RecentFailures(config.failureHistory());
        this.httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // Never follow: a redirect would carry the signed body and URL tokens to an unvetted host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(httpExecutor)
                .build();
    }

    /**
     * Hot path: runs on the statement's thread. Queues one delivery per interested target and returns at
     * once; a full queue or a closed dispatcher drops the delivery and records why. No I/O, no waiting.
     */
    public void publish(HookEvent event) {
        Objects.requireNonNull(event, "event");
        for (int i = 0; i < targets.size(); i++) {
            HookTarget target = targets.get(i);
            if (!target.wants(event.type())) {
                continue;
            }
            Delivery delivery = new Delivery(target, event);
            if (closed.get()) {
                drop(delivery, "dispatcher closed");
            } else if (!queue.offer(delivery)) {
                drop(delivery, "queue full");
            } else {
                accepted.increment();
                startWorkerIfRoom();
            }
        }
    }

    /** The latest failures, oldest first, at most {@link HookConfig#failureHistory()}. */
    public List<DeliveryFailure> recentFailures() {
        return failures.snapshot();
    }

    public HookCounters counters() {
        return new HookCounters(accepted.sum(), delivered.sum(), retries.sum(), failed.sum(), dropped.sum());
    }

    /**
     * Stops accepting events, lets queued and running deliveries finish for up to
     * {@link HookConfig#closeWait()}, then abandons the rest (each recorded as a failure). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int all = config.maxInFlight();
        try {
            if (!workerPermits.tryAcquire(all, config.closeWait().toNanos(), TimeUnit.NANOSECONDS)) {
                abandoned = true;
                for (Thread worker : workerThreads) {
                    worker.interrupt();
                }
                workerPermits.tryAcquire(all, ABANDON_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            abandoned = true;
            Thread.currentThread().interrupt();
        }
        // A publish that raced close can leave a delivery no worker will take; record it, never lose it silently.
        Delivery left;
        while ((left = queue.poll()) != null) {
            drop(left, "dispatcher closed before delivery");
        }
        client.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private void startWorkerIfRoom() {
        if (workerPermits.tryAcquire()) {
            try {
                Thread.ofVirtual().name("gatehouse-hook-delivery").start(this::drainQueue);
            } catch (RuntimeException | Error e) {
                workerPermits.release();
                throw e;
            }
        }
    }

    /** Runs on a delivery virtual thread until the queue is empty; holds one worker permit meanwhile. */
    private void drainQueue() {
        Thread self = Thread.currentThread();
        workerThreads.add(self);
        try {
            while (true) {
                Delivery delivery = queue.poll();
                if (delivery == null) {
                    workerPermits.release();
                    // Re-check after releasing: a publish may have queued after our poll but failed to get a permit.
                    if (queue.isEmpty() || !workerPermits.tryAcquire()) {
                        return;
                    }
                } else if (abandoned) {
                    fail(delivery, "", 0, "abandoned at close");
                } else {
                    deliver(delivery);
                }
            }
        } finally {
            workerThreads.remove(self);
        }
    }

    private void deliver(Delivery delivery) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body;
        try {
            body = switch (delivery.target().kind()) {
                case GENERIC -> GenericBody.render(delivery.event());
                case SLACK -> SlackMessage.render(delivery.event());
                case TEAMS -> TeamsCard.render(delivery.event());
            };
        } catch (RuntimeException e) {
            fail(delivery, deliveryId, 0, "cannot render body: " + e.getClass().getSimpleName());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            AttemptOutcome outcome;
            try {
                outcome = attempt(delivery, deliveryId, body);
            } catch (InterruptedException e) {
                fail(delivery, deliveryId, attempt, "abandoned at close");
                return;
            }
            switch (outcome) {
                case AttemptOutcome.Delivered ok -> {
                    delivered.increment();
                    return;
                }
                case AttemptOutcome.Refused refused -> {
                    fail(delivery, deliveryId, attempt, refused.reason());
                    return;
                }
                case AttemptOutcome.Retryable retry -> {
                    if (attempt >= config.maxAttempts()) {
                        fail(delivery, deliveryId, attempt, retry.reason() + " (gave up after " + attempt + " attempts)");
                        return;
                    }
                    try {
                        Thread.sleep(backoff(attempt, retry.retryAfter()));
                    } catch (InterruptedException e) {
                        fail(delivery, deliveryId, attempt, "abandoned at close");
                        return;
                    }
                    retries.increment();
                }
            }
        }
    }

    private AttemptOutcome attempt(Delivery delivery, String deliveryId, byte[] body) throws InterruptedException {
        HookTarget target = delivery.target();
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .header("X-Gatehouse-Event", delivery.event().type())
                .header("X-Gatehouse-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target.secret() != null) {
            long now = clock.instant().getEpochSecond();
            request.header("X-Gatehouse-Timestamp", Long.toString(now))
                    .header("X-Gatehouse-Signature", HmacSha256.gatehouseV1(target.secret(), now, body));
        }
        CompletableFuture<HttpResponse<Void>> sent =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        // The request timeout stops at the response headers; this hard bound also covers a body that trickles.
        Duration hardLimit = config.connectTimeout().plus(config.requestTimeout()).plusSeconds(1);
        try {
            HttpResponse<Void> response = sent.get(hardLimit.toNanos(), TimeUnit.NANOSECONDS);
            return AttemptOutcome.ofStatus(response.statusCode(), retryAfter(response));
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new AttemptOutcome.Retryable("timeout", null);
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return new AttemptOutcome.Retryable(describe(e.getCause()), null);
        }
    }

    /** Exception class names only: messages can carry URLs, and Slack/Teams URLs are credentials. */
    private static String describe(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timeout";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException) {
            return "I/O error (" + cause.getClass().getSimpleName() + ")";
        }
        return "error (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
    }

    /** Retry-After in delta-seconds (what Slack sends with 429); the HTTP-date form is ignored. */
    private static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("");
        if (value.isEmpty() || value.length() > 6) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }

    /**
     * Exponential backoff with "equal jitter": half the exponential step is fixed (so a broken receiver is
     * not hammered), half random (so many dispatchers retrying after one outage spread out). A receiver's
     * Retry-After is honoured up to the same ceiling.
     */
    Duration backoff(int attempt, Duration retryAfter) {
        long ceiling = config.maxBackoff().toMillis();
        long step = config.initialBackoff().toMillis() << Math.min(attempt - 1, 30);
        long exponential = Math.min(ceiling, step < 0 ? ceiling : step);
        long half = Math.max(1, exponential / 2);
        long millis = half + ThreadLocalRandom.current().nextLong(half + 1);
        if (retryAfter != null) {
            millis = Math.max(millis, Math.min(ceiling, retryAfter.toMillis()));
        }
        return Duration.ofMillis(millis);
    }

    // The failure is recorded before it is counted: whoever sees the count can then always read the failure.
    private void drop(Delivery delivery, String reason) {
        record(delivery, "", 0, reason);
        long before = dropped.sum();
        dropped.increment();
        // Drops come in floods when a receiver is down under load: log the first and then every power of two.
        if ((before & (before - 1)) == 0) {
            LOG.log(System.Logger.Level.WARNING, "web hook {0} for request {1} to {2} dropped ({3}); {4} dropped so far",
                    delivery.event().type(), delivery.event().requestId(), delivery.target().redactedUrl(), reason, before + 1);
        }
    }

    private void fail(Delivery delivery, String deliveryId, int attempts, String reason) {
        record(delivery, deliveryId, attempts, reason);
        failed.increment();
        // The operator must learn that a receiver failed; only what DeliveryFailure holds (no secret, no URL path).
        LOG.log(System.Logger.Level.WARNING, "web hook {0} for request {1} to {2} given up, delivery {3}, {4} attempt(s): {5}",
                delivery.event().type(), delivery.event().requestId(), delivery.target().redactedUrl(), deliveryId, attempts,
                reason);
    }

    private void record(Delivery delivery, String deliveryId, int attempts, String reason) {
        HookTarget target = delivery.target();
        failures.add(new DeliveryFailure(clock.instant(), deliveryId, delivery.event().type(),
                delivery.event().requestId(), target.kind(), target.redactedUrl(), attempts, reason));
    }
}
