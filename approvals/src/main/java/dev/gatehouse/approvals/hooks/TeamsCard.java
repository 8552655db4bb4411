package dev.gatehouse.approvals.hooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.approvals.view.SqlText;
import dev.gatehouse.approvals.view.SqlView;

/**
 * A Microsoft Teams incoming-webhook message as an Office 365 connector {@code MessageCard}: title and
 * summary, one section of facts (requester, kinds, tables, rules, source, votes, then one fact per statement),
 * and an {@code OpenUri} action to the approval page. Teams cards cannot carry a verified vote back to us, so
 * approving happens on the page, signed in.
 *
 * <p>A statement's fact is its {@link SqlText} lines (line numbers, comments in {@code ⟪ ⟫}, marks by code point,
 * bound values beside their placeholders), each line its own markdown paragraph and its spaces kept, so that
 * Teams' markdown can neither join lines nor collapse white space inside a string.
 *
 * <p>Bounds: the statements' facts share {@link #SQL_LIMIT} characters so a long submission stays far below the
 * connector's 28 KB message limit; what is left out is said.
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
        if (s.view() != null) {
            statements(facts, s.view(), s.whole());
        }
        if (!s.approveUrl().isEmpty()) {
            ObjectNode open = card.putArray("potentialAction").addObject()
                    .put("@type", "OpenUri")
                    .put("name", s.awaitingDecision() ? "Review and decide" : "Open in Gatehouse");
            open.putArray("targets").addObject().put("os", "default").put("uri", s.approveUrl());
        }
        return HookJson.write(card);
    }

    private static void statements(ArrayNode facts, SqlView view, boolean whole) {
        if (view.note() != null) {
            fact(facts, "Note", view.note());
        }
        int left = SQL_LIMIT;
        int n = view.statements().size();
        for (int i = 0; i < n; i++) {
            if (left <= 1) {
                whole = false;
                break;
            }
            StringBuilder value = new StringBuilder();
            for (String line : SqlText.lines(view, i, SqlText.Comments.INLINE)) {
                value.append(value.isEmpty() ? "" : "\n\n").append(markdownEscape(line).replace(' ', '\u00A0'));
            }
            String shown = truncate(value.toString(), left);
            whole &= shown.length() == value.length();
            left -= shown.length();
            facts.addObject().put("name", SqlText.heading(i, n)).put("value", shown);
        }
        if (!whole) {
            fact(facts, "Shown in part", "too long to show here whole: open the page");
        }
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
