package dev.gatehouse.approvals.audit;

import dev.gatehouse.approvals.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the chain's head to the {@link AnchorFile} every interval, when it moved since the last anchor
 * (the file's last line counts, so a restart does not repeat it). A failure (store down, disk full) is logged
 * without secrets and retried at the next interval; it never stops {@code serve} or any statement, which do not
 * wait on this. A head that went backwards or changed in place is logged as an error and anchored all the same:
 * the file then holds both, and {@code audit verify --anchors} reports the older one.
 *
 * <p>Threads: one virtual thread of a single-thread scheduler runs every publication (the last one at
 * {@link #close} too), so they never overlap and only that thread touches {@link #last}; {@link #close} runs
 * on the closing thread and waits at most {@link #CLOSE_WAIT}.
 */
public final class AnchorPublisher implements AutoCloseable {
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(60);
    public static final Duration MIN_EVERY = Duration.ofSeconds(1);
    public static final Duration MAX_EVERY = Duration.ofHours(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(AnchorPublisher.class.getName());

    private final Store store;
    private final Path file;
    private final Clock clock;
    private ScheduledExecutorService timer;
    private boolean fileRead;
    private Anchor last;

    AnchorPublisher(Store store, Path file, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code every} is within {@link #MIN_EVERY}..{@link #MAX_EVERY}. */
    public static boolean allowedInterval(Duration every) {
        return every.compareTo(MIN_EVERY) >= 0 && every.compareTo(MAX_EVERY) <= 0;
    }

    /** Starts publishing at once and then every {@code every} (see {@link #allowedInterval}). */
    public static AnchorPublisher start(Store store, Path file, Duration every) {
        if (!allowedInterval(every)) {
            throw new IllegalArgumentException("anchor interval must be 1s..1h, not " + every);
        }
        AnchorPublisher p = new AnchorPublisher(store, file, Clock.systemUTC());
        p.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("gatehouse-audit-anchor").factory());
        p.timer.scheduleWithFixedDelay(p::publishLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    void publishLogged() {
        try {
            publish();
        } catch (IOException | RuntimeException e) {
            // Store messages carry the URL without its parameters; file errors name the path. No secrets either way.
            LOG.log(System.Logger.Level.WARNING, "audit anchor not written to " + file + " (retried in the next interval): "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One publication: reads the head and appends an anchor if it moved. Returns whether one was written. */
    boolean publish() throws IOException {
        if (!fileRead) {
            try {
                last = AnchorFile.last(file).orElse(null);
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "the last line of " + file + " is not an anchor (" + e.getMessage()
                        + "); appending after it");
            }
            fileRead = true;
        }
        AuditLog.Head head = AuditLog.head(store);
        if (last != null && head.seq() == 0) {
            // Nothing to anchor, but an anchored chain is gone: say it now, as for any rewrite below.
            LOG.log(System.Logger.Level.ERROR, "the audit chain anchored up to record " + last.seq()
                    + " is empty in the store: the chain was cut");
            return false;
        }
        if (head.seq() == 0 || (last != null && last.names(head))) {
            return false;
        }
        if (last != null && head.seq() <= last.seq()) {
            LOG.log(System.Logger.Level.ERROR, "the audit head moved from record " + last.seq() + " back to record " + head.seq()
                    + (head.seq() == last.seq() ? " with another hash" : "") + ": the chain was rewritten or cut in the store");
        }
        Anchor a = Anchor.of(head, clock.instant());
        AnchorFile.append(file, a);
        last = a;
        return true;
    }

    /**
     * Stops the schedule after one last publication, so a clean stop leaves the final head anchored; waits at
     * most {@link #CLOSE_WAIT}, then interrupts it.
     */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.execute(this::publishLogged); // runs after shutdown: a one-shot task already queued is kept
        timer.shutdown(); // cancels the periodic schedule; a publication in progress finishes its forced write
        try {
            if (!timer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
