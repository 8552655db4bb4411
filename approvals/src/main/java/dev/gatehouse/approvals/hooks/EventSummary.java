package dev.gatehouse.approvals.hooks;

import dev.gatehouse.approvals.view.SqlView;
import dev.gatehouse.sql.Dialect;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable view of a {@link HookEvent} that the chat formats (Slack, Teams) share, so both
 * channels word an event the same way. Plain text; each format escapes it for its own markup. The statement is
 * its {@link SqlView} (cut into statements, comments and marks as the page shows them); {@code whole} is false
 * when the payload carries only a prefix of the text or values, and then no chat may offer a decision.
 *
 * <p>Immutable; built on a delivery's virtual thread.
 */
record EventSummary(String requestId, String headline, String principal, String actingFor, SqlView view,
        boolean whole, String kinds, String tables, String rules, String source, String searchPath, String votes,
        String reason, String approveUrl, boolean awaitingDecision, String impact) {

    static EventSummary of(HookEvent event) {
        Map<String, Object> p = event.payload();
        String principal = text(p.get("principal"));
        String actingFor = text(p.get("acting_for"));
        String who = principal.isEmpty() ? "someone" : principal;
        if (!actingFor.isEmpty()) {
            who = who + " (for " + actingFor + ")";
        }
        String id = event.requestId();
        String approver = text(p.get("approver"));
        String headline = switch (event.type()) {
            case HookEvent.REQUEST_CREATED -> "Approval needed: " + who + " wants to run a statement (request " + id + ")";
            case HookEvent.REQUEST_APPROVED -> "Approved: request " + id + " from " + who;
            case HookEvent.REQUEST_DENIED -> "Denied: request " + id + " from " + who;
            case HookEvent.REQUEST_EXPIRED -> "Expired: request " + id + " from " + who + " was not decided in time";
            case HookEvent.REQUEST_WITHDRAWN -> "Withdrawn: request " + id + " from " + who;
            case HookEvent.REQUEST_CONSUMED -> "Ran: approved request " + id + " from " + who + " was executed";
            case HookEvent.VOTE_CAST -> "Vote on request " + id + (approver.isEmpty() ? "" : " by " + approver);
            // HookEvent's constructor admits only TYPES, so this is unreachable; fail loudly if that changes.
            default -> throw new IllegalStateException("unknown hook event type: " + event.type());
        };
        String sql = text(p.get("sql"));
        // The payload bounds the text (a prefix and its hash) and the values the same way as the audit does.
        boolean whole = !Boolean.TRUE.equals(p.get("sql_truncated")) && !Boolean.TRUE.equals(p.get("parameters_truncated"));
        SqlView view = sql.isEmpty() ? null : SqlView.of(sql, dialect(p.get("dialect")), parameters(p.get("parameters")), true);
        return new EventSummary(id, headline, principal, actingFor, view, whole, text(p.get("kinds")),
                text(p.get("tables")), text(p.get("rules")), text(p.get("source")), searchPath(p), text(p.get("votes")),
                text(p.get("reason")), httpUrlOrEmpty(text(p.get("approve_url"))),
                HookEvent.REQUEST_CREATED.equals(event.type()), impact(p));
    }

    /** What the statement would touch, as the request labels it (measured or estimated); empty when not given. */
    private static String impact(Map<String, Object> p) {
        return p.get("impact") instanceof Map<?, ?> impact ? text(impact.get("summary")) : "";
    }

    private static Dialect dialect(Object name) {
        for (Dialect d : Dialect.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The bound values, by position (a null is SQL NULL); none when the payload carries none. */
    private static List<String> parameters(Object values) {
        List<String> out = new ArrayList<>();
        if (values instanceof Collection<?> items) {
            for (Object v : items) {
                out.add(v == null ? null : v.toString());
            }
        }
        return out;
    }

    /** The search path unqualified names resolve through (null: the server's default); empty when not given. */
    private static String searchPath(Map<String, Object> p) {
        if (!p.containsKey("search_path")) {
            return "";
        }
        Object path = p.get("search_path");
        return path == null ? "the server's default" : text(path);
    }

    /** Flattens a JSON-able value to one line of text: lists joined by ", ", maps as key=value pairs. */
    static String text(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            String separator = "";
            for (Object item : items) {
                out.append(separator);
                append(out, item);
                separator = ", ";
            }
        } else if (value instanceof Map<?, ?> map) {
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator).append(entry.getKey()).append('=');
                append(out, entry.getValue());
                separator = " ";
            }
        } else {
            out.append(value);
        }
    }

    /** Only http(s) links reach chat buttons: a javascript: or file: URL from a bad payload must not. */
    private static String httpUrlOrEmpty(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? url : "";
    }
}
