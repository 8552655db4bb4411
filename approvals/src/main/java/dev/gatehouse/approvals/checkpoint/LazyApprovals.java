package dev.gatehouse.approvals.checkpoint;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The approvals service of a front end, opened on first need rather than at start: a store that is down must
 * not stop allowed statements from running (they do not need it unless allows are audited), only the ones
 * that do need it, which then fail closed. After a failed attempt the next one waits {@link #RETRY_AFTER},
 * so a down store costs held statements one connect timeout per period, not one each.
 *
 * <p>Threads: any; opening (blocking network I/O) happens under a ReentrantLock by whichever thread needs
 * the service first. The service itself is thread-safe.
 */
public final class LazyApprovals implements Supplier<ApprovalService>, AutoCloseable {
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** Connections each front end holds to the store: requests, votes and audit are short transactions. */
    static final int POOL_SIZE = 4;

    private final String url;
    private final String user;
    private final String password;
    private final Map<String, List<String>> approvers;
    private final ServiceOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ApprovalService service;
    private Store store;
    private long failedAtNanos;
    private StoreUnavailableException lastFailure;
    private boolean closed;

    public LazyApprovals(String url, String user, String password, Map<String, List<String>> approvers,
                         ServiceOptions options) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.approvers = Map.copyOf(approvers);
        this.options = options;
    }

    public ServiceOptions options() {
        return options;
    }

    /** @throws StoreUnavailableException while the store cannot be opened (the caller fails closed) */
    @Override
    public ApprovalService get() {
        ApprovalService s = service;
        return s != null ? s : open();
    }

    private ApprovalService open() {
        lock.lock();
        try {
            if (service != null) {
                return service;
            }
            if (closed) {
                throw new StoreUnavailableException("the approvals service is closed", null);
            }
            if (lastFailure != null && System.nanoTime() - failedAtNanos < RETRY_AFTER.toNanos()) {
                throw lastFailure;
            }
            try {
                store = Store.open(url, user, password, POOL_SIZE);
            } catch (StoreUnavailableException e) {
                lastFailure = e;
                failedAtNanos = System.nanoTime();
                throw e;
            }
            lastFailure = null;
            service = new ApprovalService(store, approvers, options, null);
            return service;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (service != null) {
                service.close();
                store.close();
                service = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
