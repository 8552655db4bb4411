package dev.gatehouse.proxy.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Matches what the server answered to what the proxy sent, so the proxy's picture of the session is the
 * server's and not the client's wish: each change to the prepared statements counts once the server answered
 * that very change (a failed or skipped Parse must not let the proxy decide on SQL the server never prepared; a
 * DEALLOCATE that ran stays run whatever happens to its group), a refusal's deliberate failure is put back as
 * the refusal, and a session probe's answer is taken off the wire.
 *
 * <p>Threads: the client reader calls {@link #sent} (always before writing the message, so the entry is
 * queued before any answer can arrive) and drains the corrections; the server relay calls the {@code on*}
 * methods in the order the server answers. Nothing is allocated per answer unless the server did something
 * other than the proxy assumed (an error, or a change it expected to fail).
 */
final class ResponseTracker {

    /** Something sent that the server answers. */
    sealed interface Expected permits NamespaceChange, SyncPoint, Intercept {
    }

    /**
     * A message the server ends with ReadyForQuery (Query, Sync, FunctionCall, startup).
     *
     * @param named            its group changed named prepared statements, so a later group's lookup of a name
     *                         waits for this answer
     * @param closesProxyBlock the proxy opened a transaction block in this group (a counted write outside the
     *                         client's), and closes it right after: the client is told the status it expects, idle
     */
    record SyncPoint(boolean named, boolean closesProxyBlock) implements Expected {
        static final SyncPoint PLAIN = new SyncPoint(false, false);
        static final SyncPoint NAMED = new SyncPoint(true, false);
    }

    /**
     * The server did not do what the proxy assumed when it sent {@code change}: {@code undo} it (skipped or
     * failed), or apply it (it ran though the proxy expected a refusal). {@link #LOST}: the server reported a
     * deallocation the proxy did not send knowingly, so no name can be trusted any more.
     */
    record Correction(NamespaceChange change, boolean undo) {
        static final Correction LOST = new Correction(null, false);
    }

    private static final byte[] PREPARE = tag("PREPARE");
    private static final byte[] DEALLOCATE = tag("DEALLOCATE");
    private static final byte[] DEALLOCATE_ALL = tag("DEALLOCATE ALL");
    private static final byte[] DISCARD_ALL = tag("DISCARD ALL");

    private final Queue<Expected> expected = new ConcurrentLinkedQueue<>();
    private final Queue<Correction> corrections = new ConcurrentLinkedQueue<>();
    private final Queue<PendingRefusal> refusals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Groups that changed named statements and whose ReadyForQuery (and corrections) are not in yet. */
    private final AtomicInteger unsettledNamed = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    /** Hot path: the relay takes the lock to wake a waiter only when there is one. */
    private final AtomicInteger waiters = new AtomicInteger();

    // Client thread only.
    private long groupsSent;

    /** Message-level intercepts queued: while none is, the relay's hot path does not look at the queue. */
    private final AtomicInteger messageIntercepts = new AtomicInteger();
    /** The relay ended: nothing more will be answered. */
    private volatile boolean serverGone;
    /** Relay thread writes, client reader reads: an error in the group being answered (reset at ReadyForQuery). */
    private volatile boolean groupFailed;

    // Relay thread only.
    private boolean atGroupStart = true;
    /** The group-shaped intercept that owns the group being answered, or null. */
    private Intercept groupOwner;

    /** Client thread: records a message about to be written to the server. */
    void sent(Expected e) {
        if (e instanceof SyncPoint || e instanceof Intercept i && i.group()) {
            outstanding.incrementAndGet();
            groupsSent++;
            if (e instanceof SyncPoint p && p.named()) {
                unsettledNamed.incrementAndGet();
            }
        } else if (e instanceof Intercept) {
            messageIntercepts.incrementAndGet();
        }
        expected.add(e);
    }

    /**
     * Client thread, after queuing a message-level intercept inside the group the server is answering: when an
     * error there was already seen, the server skips it, and the relay's sweep may have run before it was queued.
     */
    void skipIfGroupFailed(Intercept i) {
        if (groupFailed) {
            i.skip();
        }
    }

    /** Client thread: ReadyForQuery messages still to come. */
    int outstanding() {
        return outstanding.get();
    }

    /** Client thread: how many groups were sent so far; the current group's number. */
    long group() {
        return groupsSent;
    }

    /** Client thread: earlier groups changed named statements and the server has not answered them all yet. */
    boolean namedUnsettled() {
        return unsettledNamed.get() > 0;
    }

    /** Client thread: the next correction to apply, in the server's order, or null. */
    Correction pollCorrection() {
        return corrections.poll();
    }

    /** Client thread, before it sends the deliberate failure the refusal stands in for. */
    void expectRefusal(PendingRefusal refusal) {
        refusals.add(refusal);
    }

    /** Client thread: waits (bounded) until every sent message has been answered. */
    boolean awaitQuiet(long nanos) throws InterruptedException {
        waiters.incrementAndGet();
        lock.lock();
        try {
            while (outstanding.get() > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = quiet.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }

    /**
     * Relay thread: the intercept this message answers, or null for a message handled as usual. ParameterStatus
     * and NotificationResponse are the session's whoever caused them: never intercepted.
     */
    Intercept interceptFor(byte type) {
        if (type == 'S' || type == 'A') {
            return null;
        }
        if (atGroupStart && type != 'N') {
            atGroupStart = false;
            groupOwner = expected.peek() instanceof Intercept i && i.group() ? i : null;
        }
        if (groupOwner != null) {
            return groupOwner;
        }
        if (messageIntercepts.get() == 0) {
            return null; // hot path: a plain answer of the client's
        }
        return expected.peek() instanceof Intercept i && !i.group() && i.claims(type) ? i : null;
    }

    /** Relay thread, as it ends: every intercept still waiting is let go (its waiter finds the server gone). */
    void relayEnded() {
        serverGone = true;
        for (Expected e : expected) {
            if (e instanceof Intercept i) {
                i.skip();
            }
        }
    }

    boolean serverGone() {
        return serverGone;
    }

    /** Relay thread: the message-level intercept at the head was answered in full. */
    void ended(Intercept i) {
        if (expected.peek() == i) {
            expected.poll();
            messageIntercepts.decrementAndGet();
        }
        i.end();
    }

    /** Relay thread: ParseComplete or CloseComplete answers the oldest change still waiting, which must be one. */
    void onComplete(byte type) {
        Expected head = expected.poll();
        if (!(head instanceof NamespaceChange change) || change.kind().answer() != type) {
            throw new IllegalStateException("'" + (char) type + "' answers nothing the proxy sent: " + head);
        }
        answered(change);
    }

    /**
     * Relay thread, hot path: a CommandComplete's tag ({@code length} bytes of {@code tag}, with its NUL). Only the
     * four tags of statements that change prepared statements matter; the first byte rules out nearly all others.
     */
    void onCommandComplete(byte[] tag, int length) {
        byte first = tag[0];
        if (first != 'P' && first != 'D') {
            return;
        }
        NamespaceChange.Kind kind = is(tag, length, PREPARE) ? NamespaceChange.Kind.PREPARE
                : is(tag, length, DEALLOCATE) ? NamespaceChange.Kind.DEALLOCATE
                : is(tag, length, DEALLOCATE_ALL) ? NamespaceChange.Kind.DEALLOCATE_ALL
                : is(tag, length, DISCARD_ALL) ? NamespaceChange.Kind.DISCARD_ALL : null;
        if (kind == null) {
            return;
        }
        if (expected.peek() instanceof NamespaceChange change && change.kind() == kind) {
            expected.poll();
            answered(change);
        } else if (kind != NamespaceChange.Kind.PREPARE) {
            // A deallocation the proxy did not see coming: which names it dropped is unknown. (A PREPARE it did
            // not see leaves a name the proxy does not know, which it refuses to decide on anyway.)
            corrections.add(Correction.LOST);
        }
    }

    /**
     * Relay thread: an ErrorResponse fails the rest of its group: the server skips every message up to its Sync,
     * so the intercepts queued there (but {@code owner}, whose error it is) are skipped now, not at the Sync their
     * waiter may be the one to send.
     */
    void onError(Intercept owner) {
        groupFailed = true;
        for (Expected e : expected) {
            if (e instanceof SyncPoint || e instanceof Intercept g && g.group()) {
                break;
            }
            if (e instanceof Intercept i && i != owner) {
                i.skip();
            }
        }
    }

    /**
     * Relay thread: ReadyForQuery ({@code status}) ends a group. Changes not answered by then were skipped or
     * failed: undone, latest first, so that the map is back where the last change that ran left it. Returns the
     * status the client is to see.
     */
    byte onReady(byte status) {
        byte shown = status;
        List<NamespaceChange> skipped = null;
        Expected e;
        while ((e = expected.poll()) != null) {
            if (e instanceof Intercept i && !i.group()) {
                i.skip(); // the group ended before it was answered: the server skipped it
                messageIntercepts.decrementAndGet();
                continue;
            }
            if (e instanceof NamespaceChange change) {
                if (!change.expectedToFail()) {
                    if (skipped == null) {
                        skipped = new ArrayList<>();
                    }
                    skipped.add(change);
                }
                continue;
            }
            if (skipped != null) {
                for (int i = skipped.size() - 1; i >= 0; i--) {
                    corrections.add(new Correction(skipped.get(i), true));
                }
            }
            if (e instanceof Intercept i) {
                i.finish(status);
            } else if (e instanceof SyncPoint p) {
                if (p.named()) {
                    unsettledNamed.decrementAndGet(); // after its corrections are queued
                }
                if (p.closesProxyBlock()) {
                    shown = dev.gatehouse.proxy.protocol.backend.ReadyForQuery.IDLE;
                }
            }
            break;
        }
        groupFailed = false;
        atGroupStart = true;
        groupOwner = null;
        if (outstanding.decrementAndGet() == 0 && waiters.get() > 0) {
            lock.lock();
            try {
                quiet.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return shown;
    }

    /** Relay thread: a server error may be a refusal's deliberate failure (else it is relayed undecoded). */
    boolean refusalsPending() {
        return !refusals.isEmpty();
    }

    /**
     * Relay thread: the refusal to send instead of this server error, or null to relay it. Refusals whose
     * failure the server never ran (it was already skipping to Sync after an earlier error) are dropped on the way.
     */
    byte[] refusalFor(String message) {
        if (!message.contains(Refusals.TOKEN_PREFIX)) {
            return null;
        }
        PendingRefusal head;
        while ((head = refusals.poll()) != null) {
            if (message.contains(head.token())) {
                return head.errorResponse();
            }
        }
        return null;
    }

    /** The server did what was asked: a statement it created is now the server's for sure. */
    private void answered(NamespaceChange change) {
        if (change.expectedToFail()) {
            corrections.add(new Correction(change, false));
        } else if (change.statement() != null && (change.kind() == NamespaceChange.Kind.PARSE
                || change.kind() == NamespaceChange.Kind.PREPARE)) {
            change.statement().confirmed = true;
        }
    }

    private static boolean is(byte[] tag, int length, byte[] expected) {
        return length == expected.length && java.util.Arrays.equals(tag, 0, length, expected, 0, length);
    }

    private static byte[] tag(String text) {
        byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(ascii, ascii.length + 1); // with the NUL the message carries
    }
}
