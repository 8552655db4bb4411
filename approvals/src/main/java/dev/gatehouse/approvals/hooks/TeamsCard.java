package dev.gatehouse.approvals.hooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Microsoft Teams incoming-webhook message as an Office 365 connector {@code MessageCard}: title and
 * summary, one section of facts (requester, kinds, tables, rules, source, votes, SQL), and an
 * {@code OpenUri} action to the approval page. Teams cards cannot carry a verified vote back to us, so
 * approving happens on the page, signed in.
 *
 * <p>Bounds: the SQL fact is cut to {@link #SQL_LIMIT} characters so a long statement stays far below the
 * connector's 28 KB message limit.
 *
 * <p>Stateless; runs on a delivery's virtual thread.
 */
final class TeamsCard {

    static final int SQL_LIMIT = 2000;

    private TeamsCard() {
    }

    static byte[] render(HookEvent event) {
        EventSummary s = EventSummary.of(event);
        ObjectNode card = HookJson.MAPPER.createObjectNode()
                .put("@type", "MessageCard")
                .put("@context", "https://schema.org/extensions")
                .put("summary", s.headline())
                .put("themeColor", themeColor(event.type()))
                .put("title", markdownEscape(s.headline()));
        ObjectNode section = card.putArray("sections").addObject();
        section.put("activityTitle", markdownEscape("Gatehouse request " + s.requestId()));
        ArrayNode facts = section.putArray("facts");
        fact(facts, "Requester", s.principal());
        fact(facts, "Acting for", s.actingFor());
        fact(facts, "Kinds", s.kinds());
        fact(facts, "Tables", s.tables());
        fact(facts, "Rules", s.rules());
        fact(facts, "Source", s.source());
        fact(facts, "Search path", s.searchPath());
        fact(facts, "Votes", s.votes());
        fact(facts, "Reason", s.reason());
        fact(facts, "Would touch", s.impact());
        fact(facts, "SQL", truncate(s.sql(), SQL_LIMIT));
        if (!s.approveUrl().isEmpty()) {
            ObjectNode open = card.putArray("potentialAction").addObject()
                    .put("@type", "OpenUri")
                    .put("name", s.awaitingDecision() ? "Review and decide" : "Open in Gatehouse");
            open.putArray("targets").addObject().put("os", "default").put("uri", s.approveUrl());
        }
        return HookJson.write(card);
    }

    /** At most {@code limit} characters, never splitting a surrogate pair, with an ellipsis when cut. */
    static String truncate(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = limit - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static void fact(ArrayNode facts, String name, String value) {
        if (!value.isEmpty()) {
            facts.addObject().put("name", name).put("value", markdownEscape(value));
        }
    }

    /** Card text is markdown: {@code SELECT *} must not turn into emphasis, nor a value into a link. */
    static String markdownEscape(String plain) {
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '\\', '*', '_', '`', '[', ']', '(', ')', '#', '<', '>', '~' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String themeColor(String type) {
        return switch (type) {
            case HookEvent.REQUEST_CREATED -> "F2A900";
            case HookEvent.REQUEST_APPROVED, HookEvent.REQUEST_CONSUMED -> "2EB67D";
            case HookEvent.REQUEST_DENIED -> "E01E5A";
            default -> "808080";
        };
    }
}
