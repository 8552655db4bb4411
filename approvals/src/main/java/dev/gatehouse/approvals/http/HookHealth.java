package dev.gatehouse.approvals.http;

import dev.gatehouse.approvals.hooks.DeliveryFailure;
import dev.gatehouse.approvals.hooks.HookCounters;
import dev.gatehouse.approvals.hooks.HookDispatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How outbound web hooks are doing, for {@code GET /api/hooks} and the page's status line: a hook that fails
 * silently would leave approvers unaware that requests are waiting, so failures are shown where they look.
 *
 * @param targets        how many hook targets are configured (0: hooks are off)
 * @param counters       the dispatcher's counters
 * @param recentFailures the latest failures, oldest first (already bounded by the dispatcher)
 *
 * <p>Immutable; built on an HTTP server thread per request.
 */
public record HookHealth(int targets, HookCounters counters, List<DeliveryFailure> recentFailures) {
    /** No hooks configured. */
    public static final HookHealth OFF = new HookHealth(0, new HookCounters(0, 0, 0, 0, 0), List.of());

    public HookHealth {
        recentFailures = List.copyOf(recentFailures);
    }

    /** A live view of a dispatcher with {@code targets} targets. */
    public static Supplier<HookHealth> of(int targets, HookDispatcher dispatcher) {
        return () -> new HookHealth(targets, dispatcher.counters(), dispatcher.recentFailures());
    }

    /** The JSON body of {@code GET /api/hooks}. Failure records carry no secret, URL path or response body. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("targets", targets);
        m.put("accepted", counters.accepted());
        m.put("delivered", counters.delivered());
        m.put("retries", counters.retries());
        m.put("failed", counters.failed());
        m.put("dropped", counters.dropped());
        List<Map<String, Object>> failures = new ArrayList<>(recentFailures.size());
        for (DeliveryFailure f : recentFailures) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("at", f.at().toString());
            one.put("delivery_id", f.deliveryId());
            one.put("event", f.eventType());
            one.put("request_id", f.requestId());
            one.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
            one.put("target", f.target());
            one.put("attempts", f.attempts());
            one.put("reason", f.reason());
            failures.add(one);
        }
        m.put("recent_failures", failures);
        return m;
    }

    /** One line for the page: quiet when all is well, naming the latest failure when not. */
    String line() {
        if (targets == 0) {
            return "web hooks: none configured";
        }
        StringBuilder b = new StringBuilder("web hooks: ").append(targets).append(targets == 1 ? " target, " : " targets, ")
                .append(counters.delivered()).append(" delivered, ").append(counters.failed()).append(" failed, ")
                .append(counters.dropped()).append(" dropped");
        if (!recentFailures.isEmpty()) {
            DeliveryFailure last = recentFailures.get(recentFailures.size() - 1);
            b.append("; last failure ").append(last.at()).append(": ").append(last.eventType()).append(" to ")
                    .append(last.target()).append(" (").append(last.reason()).append(')');
        }
        return b.toString();
    }

    /** Whether the page should draw attention to the line. */
    boolean failing() {
        return counters.failed() > 0 || counters.dropped() > 0;
    }
}
