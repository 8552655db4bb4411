package dev.gatehouse.approvals.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The store's circuit breaker. While the store is down every call would wait out the pool's connection
 * time-out; instead, after one call fails because of the store, calls fail at once with
 * {@link StoreUnavailableException} for {@code openFor}; then exactly one call, the probe, goes to the store
 * (everyone else still fails at once): its success closes the breaker, its failure opens it for another
 * {@code openFor}. A fast failure is a refusal like any other store failure (callers fail closed). The store's
 * prober ({@link #probeNow}) tries sooner from the background, so recovery does not wait for the open period
 * and no caller pays for a probe while the prober runs (each failed probe pushes the callers' turn away).
 *
 * <p>One breaker guards both opening the store (the driver's {@code LazyApprovals}) and every transaction on
 * it ({@link Store#inTransaction}). Threads: any; lock-free, one {@link AtomicReference} of an immutable state.
 * A closed breaker costs a store call one volatile read.
 */
public final class Breaker {
    /** How long the store is left alone after a failure before one probe may try it again. */
    public static final Duration OPEN_FOR = Duration.ofSeconds(5);

    /** What the breaker is in; the probe is told apart by identity (only the probe may settle it). */
    private sealed interface State permits Closed, Open, Probing {
    }

    private record Closed() implements State {
    }

    private record Open(long untilNanos, RuntimeException cause) implements State {
    }

    private static final class Probing implements State {
        private final RuntimeException cause;

        Probing(RuntimeException cause) {
            this.cause = cause;
        }
    }

    private static final Closed CLOSED = new Closed();

    /** What a caller may do: run while closed, or run as the probe. */
    public sealed interface Permit permits Ordinary, Probe {
    }

    private record Ordinary() implements Permit {
    }

    private record Probe(Probing state) implements Permit {
    }

    private static final Ordinary ORDINARY = new Ordinary();

    private final long openForNanos;
    private final LongSupplier nanoTime;
    private final AtomicReference<State> state = new AtomicReference<>(CLOSED);

    public Breaker(Duration openFor) {
        this(openFor, System::nanoTime);
    }

    /** With the clock given (the state-machine tests step it by hand). */
    Breaker(Duration openFor, LongSupplier nanoTime) {
        if (openFor.isNegative() || openFor.isZero() || openFor.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("a breaker opens for more than 0 and at most 5 minutes, not " + openFor);
        }
        this.openForNanos = openFor.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Runs {@code work} unless the breaker is open, and settles the breaker by its result.
     *
     * @param trips which failures of {@code work} mean the store is down (others mean it answered)
     * @throws StoreUnavailableException at once while the breaker is open or another call is probing
     */
    public <T> T call(Supplier<T> work, Predicate<RuntimeException> trips) {
        return run(enter(), work, trips);
    }

    /**
     * A probe from the background (the store's prober): while the breaker is open, tries the store now rather
     * than leaving the try to the first caller after the open period, who would wait out the pool's time-out
     * if the store is still down. Does nothing while closed or while another probe is out.
     *
     * @return whether it probed (the store answered, or the failure re-opened the breaker, which it throws)
     */
    public boolean probeNow(Supplier<?> work, Predicate<RuntimeException> trips) {
        if (!(state.get() instanceof Open o)) {
            return false;
        }
        Probing probing = new Probing(o.cause());
        if (!state.compareAndSet(o, probing)) {
            return false;
        }
        run(new Probe(probing), work, trips);
        return true;
    }

    private <T> T run(Permit permit, Supplier<T> work, Predicate<RuntimeException> trips) {
        boolean answered = false;
        RuntimeException failure = null;
        try {
            T result = work.get();
            answered = true;
            return result;
        } catch (RuntimeException e) {
            failure = e;
            answered = !trips.test(e);
            throw e;
        } finally {
            // An Error (failure still null) counts as a store failure: a probe must never leave it half-open.
            if (answered) {
                succeeded(permit);
            } else {
                failed(permit, failure != null ? failure
                        : new StoreUnavailableException("the approvals store call failed unexpectedly", null));
            }
        }
    }

    /**
     * Admits one call: an ordinary permit while closed, the probe permit to the first caller after the open
     * period.
     *
     * @throws StoreUnavailableException at once while open, or while another caller probes
     */
    public Permit enter() {
        while (true) {
            State s = state.get();
            switch (s) {
                case Closed c -> {
                    return ORDINARY;
                }
                case Open o -> {
                    long left = o.untilNanos() - nanoTime.getAsLong();
                    if (left > 0) {
                        throw fast(o.cause(), "for " + Math.max(1, left / 1_000_000) + " ms more");
                    }
                    Probing probing = new Probing(o.cause());
                    if (state.compareAndSet(o, probing)) {
                        return new Probe(probing);
                    }
                    // Another caller moved it first: look again.
                }
                case Probing p -> throw fast(p.cause, "until another call's retry of the store finishes");
            }
        }
    }

    /**
     * For a caller that waited (on a lock) after {@link #enter}: refuses at once if the breaker opened meanwhile,
     * so a caller queued behind a failing attempt does not repeat it.
     */
    public void recheck(Permit permit) {
        if (permit instanceof Ordinary) {
            State s = state.get();
            switch (s) {
                case Closed c -> { }
                case Open o -> throw fast(o.cause(), "after a failure while this call waited");
                case Probing p -> throw fast(p.cause, "until another call's retry of the store finishes");
            }
        }
    }

    /** The store answered: a probe closes the breaker; an ordinary call changes nothing. */
    public void succeeded(Permit permit) {
        if (permit instanceof Probe p) {
            state.compareAndSet(p.state(), CLOSED);
        }
    }

    /**
     * The store failed: a closed breaker opens, a probe re-opens it. A late failure of a call admitted before
     * the breaker opened does not extend the open period.
     */
    public void failed(Permit permit, RuntimeException cause) {
        Open open = new Open(nanoTime.getAsLong() + openForNanos, cause);
        switch (permit) {
            case Probe p -> state.compareAndSet(p.state(), open);
            case Ordinary o -> state.compareAndSet(CLOSED, open);
        }
    }

    /** A permit that went unused: a probe hands its turn to the next caller, an ordinary one changes nothing. */
    public void release(Permit permit) {
        if (permit instanceof Probe p) {
            state.compareAndSet(p.state(), new Open(nanoTime.getAsLong(), p.state().cause));
        }
    }

    /** True while calls are admitted without a probe (for health reports and tests). */
    public boolean isClosed() {
        return state.get() instanceof Closed;
    }

    private static StoreUnavailableException fast(RuntimeException cause, String when) {
        return new StoreUnavailableException("the approvals store is unavailable; refusing at once " + when
                + " (last failure: " + cause.getMessage() + ")", cause);
    }
}
