package dev.gatehouse.approvals.hooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.approvals.view.SqlText;
import dev.gatehouse.approvals.view.SqlView;

/**
 * A Slack incoming-webhook message in Block Kit: a text fallback (what notifications show), a section
 * with who/what/why, one section per statement with its text as a code block ({@link SqlText}: line numbers,
 * comments underlined, marks by code point, bound values beside their placeholders), and, while a request awaits
 * a decision and the message shows all of it, an actions block with Approve and Deny buttons. A statement too long
 * for a section, more than {@link #MAX_STATEMENTS} statements, or a payload holding only a prefix: the message
 * says so and offers no buttons (the decision is made on the page, where it is shown whole). A button's {@code value} is the request id and its
 * {@code action_id} says the decision; {@link InboundDecisions#verifySlack} reads them back. Decision
 * events post the same layout with the outcome as text and no buttons (an incoming webhook cannot edit the
 * earlier message).
 *
 * <p>Slack limits honoured here: section text 3000 characters, button value 2000, action_id 255. Text is
 * escaped for mrkdwn ({@code & < >}) before it is measured, and cut only between escapes.
 *
 * <p>Stateless; runs on a delivery's virtual thread.
 */
final class SlackMessage {

    static final String APPROVE_ACTION = "gatehouse.approve";
    static final String DENY_ACTION = "gatehouse.deny";
    static final int SECTION_TEXT_LIMIT = 3000;
    /** Statements shown (a section each; Slack takes 50 blocks in a message). */
    static final int MAX_STATEMENTS = 20;
    private static final String FENCE = "```";
    private static final String CUT_MARK = "\n… (truncated)";

    private SlackMessage() {
    }

    static byte[] render(HookEvent event) {
        EventSummary s = EventSummary.of(event);
        ObjectNode message = HookJson.MAPPER.createObjectNode();
        message.put("text", mrkdwn(s.headline(), SECTION_TEXT_LIMIT));
        ArrayNode blocks = message.putArray("blocks");
        blocks.add(section(details(s)));
        boolean whole = s.whole();
        if (s.view() != null) {
            whole &= statements(blocks, s.view());
        }
        if (s.awaitingDecision() && whole) {
            blocks.add(actions(s.requestId()));
        } else if (s.awaitingDecision()) {
            blocks.add(section("*Too long to show here whole: decide on the page, where it is.*"));
        }
        if (!s.approveUrl().isEmpty() && isSafeLinkTarget(s.approveUrl())) {
            ObjectNode context = blocks.addObject().put("type", "context");
            context.putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", cut("<" + escape(s.approveUrl()) + "|" + escape("Open request " + s.requestId()
                            + " in Gatehouse") + ">", SECTION_TEXT_LIMIT));
        }
        return HookJson.write(message);
    }

    /** A section per statement; false when anything had to be left out. */
    private static boolean statements(ArrayNode blocks, SqlView view) {
        boolean whole = true;
        if (view.note() != null) {
            blocks.add(section("_" + mrkdwn(view.note(), SECTION_TEXT_LIMIT - 2) + "_"));
        }
        int n = view.statements().size();
        for (int i = 0; i < Math.min(n, MAX_STATEMENTS); i++) {
            String head = "*" + SqlText.heading(i, n) + "*\n";
            // A ``` inside the text would close the code block early: SqlText shows its third backtick as a mark.
            String code = String.join("\n", SqlText.lines(view, i, SqlText.Comments.UNDERLINE, true));
            String escaped = escape(code);
            int room = SECTION_TEXT_LIMIT - head.length() - 2 * FENCE.length() - 2;
            if (escaped.length() > room) {
                whole = false;
            }
            blocks.add(section(head + FENCE + "\n" + cut(escaped, room) + "\n" + FENCE));
        }
        if (n > MAX_STATEMENTS) {
            whole = false;
            blocks.add(section("_" + (n - MAX_STATEMENTS) + " more statements: see the page_"));
        }
        return whole;
    }

    private static String details(EventSummary s) {
        StringBuilder text = new StringBuilder("*").append(escape(s.headline())).append('*');
        line(text, "Requester", s.principal());
        line(text, "Acting for", s.actingFor());
        line(text, "Kinds", s.kinds());
        line(text, "Tables", s.tables());
        line(text, "Rules", s.rules());
        line(text, "Source", s.source());
        line(text, "Search path", s.searchPath());
        line(text, "Votes", s.votes());
        line(text, "Reason", s.reason());
        line(text, "Would touch", s.impact());
        return cut(text.toString(), SECTION_TEXT_LIMIT);
    }

    private static void line(StringBuilder text, String label, String value) {
        if (!value.isEmpty()) {
            text.append("\n*").append(label).append(":* ").append(escape(value));
        }
    }

    private static ObjectNode section(String mrkdwnText) {
        ObjectNode section = HookJson.MAPPER.createObjectNode().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", mrkdwnText);
        return section;
    }

    private static ObjectNode actions(String requestId) {
        ObjectNode actions = HookJson.MAPPER.createObjectNode().put("type", "actions").put("block_id", "gatehouse.decide");
        ArrayNode elements = actions.putArray("elements");
        ObjectNode approve = button(elements, "Approve", APPROVE_ACTION, requestId).put("style", "primary");
        // A confirmation step because an approval releases a statement against production.
        ObjectNode confirm = approve.putObject("confirm");
        confirm.putObject("title").put("type", "plain_text").put("text", "Approve this statement?");
        confirm.putObject("text").put("type", "plain_text").put("text", "It will run once, exactly as shown.");
        confirm.putObject("confirm").put("type", "plain_text").put("text", "Approve");
        confirm.putObject("deny").put("type", "plain_text").put("text", "Cancel");
        button(elements, "Deny", DENY_ACTION, requestId).put("style", "danger");
        return actions;
    }

    private static ObjectNode button(ArrayNode elements, String label, String actionId, String requestId) {
        ObjectNode button = elements.addObject().put("type", "button");
        button.putObject("text").put("type", "plain_text").put("text", label);
        return button.put("action_id", actionId).put("value", requestId);
    }

    /** Slack's link syntax {@code <url|label>} breaks on these characters, and would let a URL inject markup. */
    private static boolean isSafeLinkTarget(String url) {
        return url.indexOf('|') < 0 && url.indexOf('<') < 0 && url.indexOf('>') < 0 && url.indexOf(' ') < 0;
    }

    static String mrkdwn(String plain, int limit) {
        return cut(escape(plain), limit);
    }

    /** Slack mrkdwn needs exactly these three escaped; everything else is literal. */
    static String escape(String plain) {
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Cuts escaped text to {@code limit} characters without splitting an {@code &...;} escape or a surrogate pair. */
    static String cut(String escaped, int limit) {
        if (escaped.length() <= limit) {
            return escaped;
        }
        int end = limit - CUT_MARK.length();
        int amp = escaped.lastIndexOf('&', end - 1);
        if (amp >= 0 && escaped.indexOf(';', amp) >= end) {
            end = amp;
        }
        if (end > 0 && Character.isHighSurrogate(escaped.charAt(end - 1))) {
            end--;
        }
        return escaped.substring(0, end) + CUT_MARK;
    }
}
