package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.store.Breaker;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The embedded approvals service of a front end (its {@link RequesterPort} when it opens the store itself: the
 * zero-setup default, in which the front end's process owns the store), opened on first need rather than at start: a store that is down must
 * not stop allowed statements from running (they do not need it unless allows are audited), only the ones
 * that do need it, which then fail closed. One {@link Breaker} guards opening the store and, once it is open,
 * every call on it: after a failure callers are refused at once for {@link Breaker#OPEN_FOR}, then one probe
 * tries again, so a down store costs held statements one connect timeout per period, not one each.
 *
 * <p>Threads: any; opening (blocking network I/O) happens under a ReentrantLock by whichever thread needs
 * the service first and is admitted by the breaker. The service itself is thread-safe.
 */
public final class LazyApprovals implements Supplier<RequesterPort>, AutoCloseable {
    /** Connections each front end holds to the store: requests, votes and audit are short transactions. */
    static final int POOL_SIZE = 4;

    private final String url;
    private final String user;
    private final String password;
    private final Map<String, List<String>> approvers;
    private final ServiceOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Breaker breaker = new Breaker(Breaker.OPEN_FOR);
    private volatile ApprovalService service;
    private Store store;
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
    public RequesterPort get() {
        ApprovalService s = service;
        return s != null ? s : open();
    }

    private ApprovalService open() {
        // Admitted before the lock: while the breaker is open nobody queues behind an attempt that will fail.
        Breaker.Permit permit = breaker.enter();
        lock.lock();
        try {
            if (service != null) {
                breaker.release(permit); // opened by another caller meanwhile: this one tried nothing
                return service;
            }
            if (closed) {
                breaker.release(permit);
                throw new StoreUnavailableException("the approvals service is closed", null);
            }
            breaker.recheck(permit);
            try {
                store = Store.open(url, user, password, POOL_SIZE, breaker);
            } catch (RuntimeException e) {
                breaker.failed(permit, e);
                throw e;
            }
            breaker.succeeded(permit);
            try {
                service = new ApprovalService(store, approvers, options, null);
            } catch (RuntimeException e) {
                store.close(); // its pool and prober would outlive the failed attempt
                store = null;
                throw e;
            }
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
