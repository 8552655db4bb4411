package dev.gatehouse.approvals.http;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.RequestSummary;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.people.Approvers;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.people.Visibility;
import dev.gatehouse.approvals.view.SqlText;
import dev.gatehouse.approvals.view.SqlView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The DBA page, rendered on the server (every value HTML-escaped); {@code page.js} only signs in (stores the
 * token in a same-site cookie) and posts votes to the API with the token as a Bearer header, so the page
 * needs no inline script and runs under a strict Content-Security-Policy. A signed-in person sees the requests
 * {@link Visibility} lets them see, and vote buttons only where they may vote.
 *
 * <p>A statement is shown as its {@link SqlView}: the exact text, never reflowed (no soft wraps either: a visual
 * line break is always a real one), one block per statement the server runs, comments styled as comments,
 * characters that could pass for others shown by code point, bound values beside their placeholders.
 *
 * <p>Runs on HTTP server threads.
 */
final class Page {
    private Page() {
    }

    /** @param notAPerson a credential that is not a person's was presented (a requester's cannot sign in here) */
    static String login(boolean notAPerson) {
        return head("Gatehouse approvals: sign in")
                + "<main><h1>Gatehouse approvals</h1>"
                + (notAPerson ? "<p id=\"refused\" class=\"error\">That credential cannot sign in here: only approvers and"
                + " admins can. A requester credential only opens and waits on requests.</p>" : "")
                + "<form id=\"login\"><label for=\"token\">Approver token</label>"
                + "<input id=\"token\" type=\"password\" autocomplete=\"off\" required>"
                + "<button id=\"sign-in\" type=\"submit\">Sign in</button></form>"
                + "<p class=\"hint\">Get a token with <code>bin/gatehouse approver token NAME</code>.</p></main></body></html>";
    }

    static String render(TokenStore.Person who, List<ApprovalRequest> requests, Approvers approvers, HookHealth hooks,
                         Instant now) {
        StringBuilder b = new StringBuilder(4096);
        b.append(head("Gatehouse approvals"));
        b.append("<header><h1>Gatehouse approvals</h1><span id=\"who\">signed in as ").append(esc(who.name()))
                .append(who.admin() ? " (admin)" : "").append("</span> <button id=\"sign-out\" type=\"button\">Sign out</button></header><main>");
        b.append("<p id=\"status\" role=\"status\"></p>");
        b.append("<p id=\"hooks\" class=\"").append(hooks.failing() ? "hooks failing" : "hooks").append("\">")
                .append(esc(hooks.line())).append("</p>");
        int pending = 0;
        for (ApprovalRequest r : requests) {
            if (r.state() == RequestState.PENDING) {
                pending++;
            }
        }
        b.append("<h2>Pending (").append(pending).append(")</h2>");
        if (pending == 0) {
            b.append("<p class=\"empty\">Nothing is waiting for a decision.</p>");
        }
        boolean decidedHeader = false;
        for (ApprovalRequest r : requests) {
            if (r.state() != RequestState.PENDING && !decidedHeader) {
                b.append("<h2>Decided</h2>");
                decidedHeader = true;
            }
            request(b, r, who, approvers, now);
        }
        return b.append("</main></body></html>").toString();
    }

    private static void request(StringBuilder b, ApprovalRequest r, TokenStore.Person who, Approvers approvers, Instant now) {
        boolean mayVote = Visibility.mayVote(who, r, approvers);
        boolean values = Visibility.seesValues(who, r, approvers);
        RequestSummary s = r.summary();
        b.append("<article class=\"request ").append(r.state().wire()).append("\" id=\"r-").append(esc(r.id()))
                .append("\" data-id=\"").append(esc(r.id())).append("\">");
        b.append("<h3><span class=\"state\">").append(r.state().wire()).append("</span> ")
                .append(esc(String.join(", ", s.operations()))).append(" by <span class=\"principal\">")
                .append(esc(r.principal())).append("</span>");
        if (r.actingFor() != null) {
            b.append(" acting for <span class=\"acting-for\">").append(esc(r.actingFor())).append("</span>");
        }
        b.append("</h3>");
        statements(b, SqlView.of(r.sql(), r.dialect(), r.parameters(), values));
        values(b, r, values);
        b.append("<dl>");
        item(b, "Kinds", "kinds", String.join(", ", s.kinds()));
        item(b, "Tables", "tables", String.join(", ", s.tables()));
        item(b, "Columns read", "reads", String.join(", ", s.reads()));
        item(b, "Columns written", "writes", String.join(", ", s.writes()));
        item(b, "Why held", "reason", s.reason());
        item(b, "Would touch", "impact", r.impact() == null ? "not recorded" : r.impact().describe());
        item(b, "Source", "source", r.source().channel().name().toLowerCase(java.util.Locale.ROOT) + " from "
                + r.source().clientAddress() + " (" + r.source().application() + ") on database " + r.source().database());
        item(b, "Search path or database", "search-path", !r.searchPathRecorded()
                ? "not recorded (the request is older than this Gatehouse)"
                : r.searchPath() == null ? "the server's default"
                : r.searchPath().isEmpty() ? "empty (no schema)" : r.searchPath());
        item(b, "Age", "age", ago(Duration.between(r.createdAt(), now)));
        item(b, r.state() == RequestState.PENDING ? "Expires in" : "Outcome", "expiry",
                r.state() == RequestState.PENDING ? ago(Duration.between(now, r.expiresAt())) : r.decisionReason());
        item(b, "Needs", "needs", r.quorum() + " approval(s) from " + (r.approverGroups().isEmpty() ? "any approver"
                : String.join(", ", new java.util.TreeSet<>(r.approverGroups()))));
        b.append("</dl><h4>Rules that fired</h4><ul class=\"rules\">");
        for (RequestSummary.Rule rule : s.rules()) {
            b.append("<li><strong>").append(esc(rule.ruleId())).append("</strong> ").append(esc(rule.action()))
                    .append(rule.shadow() ? " (shadow)" : "").append(": ").append(esc(String.join("; ", rule.facts()))).append("</li>");
        }
        b.append("</ul><h4>Votes</h4><ul class=\"votes\">");
        if (r.votes().isEmpty()) {
            b.append("<li class=\"none\">none yet</li>");
        }
        for (Vote v : r.votes()) {
            b.append("<li>").append(esc(v.approver())).append(' ').append(v.choice().wire()).append('d')
                    .append(v.reason().isEmpty() ? "" : ": " + esc(v.reason())).append("</li>");
        }
        b.append("</ul>");
        if (r.state() == RequestState.PENDING && mayVote) {
            b.append("<form class=\"vote\"><input class=\"vote-reason\" name=\"reason\" placeholder=\"Reason\" maxlength=\"2000\">")
                    .append("<button type=\"button\" class=\"approve\">Approve</button>")
                    .append("<button type=\"button\" class=\"deny\">Deny</button></form>");
        }
        b.append("</article>");
    }

    /** Each statement in its own block, exactly as the server will read it. */
    private static void statements(StringBuilder b, SqlView view) {
        int n = view.statements().size();
        b.append("<div class=\"statements\" data-count=\"").append(n).append("\">");
        if (view.note() != null) {
            b.append("<p class=\"note\">").append(esc(view.note())).append("</p>");
        }
        for (int s = 0; s < n; s++) {
            b.append("<section class=\"statement\"><h5>Statement ").append(s + 1).append(" of ").append(n)
                    .append("</h5><pre class=\"sql\">");
            boolean open = false;
            for (SqlView.Piece p : view.statements().get(s).pieces()) {
                boolean comment = switch (p) {
                    case SqlView.Piece.Text t -> t.comment();
                    case SqlView.Piece.Break br -> br.comment();
                    case SqlView.Piece.Mark m -> m.comment();
                    case SqlView.Piece.Param pa -> false;
                };
                if (comment != open) {
                    b.append(comment ? "<span class=\"comment\" title=\"a comment: the server does not run this\">" : "</span>");
                    open = comment;
                }
                switch (p) {
                    case SqlView.Piece.Text t -> b.append(esc(t.text()));
                    case SqlView.Piece.Break br -> {
                        if (br.raw().equals("\r")) {
                            mark(b, '\r');
                        }
                        b.append('\n');
                    }
                    case SqlView.Piece.Mark m -> mark(b, m.codePoint());
                    case SqlView.Piece.Param pa -> b.append("<span class=\"param\">").append(esc(pa.text()))
                            .append("</span><span class=\"value\">").append(esc(SqlText.annotation(pa))).append("</span>");
                }
            }
            if (open) {
                b.append("</span>");
            }
            b.append("</pre></section>");
        }
        b.append("</div>");
    }

    private static void mark(StringBuilder b, int codePoint) {
        b.append("<span class=\"mark\">").append(esc(SqlText.mark(codePoint))).append("</span>");
    }

    /** The bound values whole, each on its own, or how many there are when the viewer may not see them. */
    private static void values(StringBuilder b, ApprovalRequest r, boolean shown) {
        if (r.parameters().isEmpty()) {
            return;
        }
        if (!shown) {
            b.append("<p class=\"params hidden\">").append(r.parameters().size())
                    .append(" bound value(s), shown only to those who may vote on this request</p>");
            return;
        }
        b.append("<details><summary>Bound values, whole</summary><ol class=\"params\">");
        for (String v : r.parameters()) {
            b.append("<li><pre class=\"value\">");
            if (v == null) {
                b.append("NULL");
            } else {
                for (int i = 0; i < v.length(); ) {
                    int cp = v.codePointAt(i);
                    if (cp == '\n') {
                        b.append('\n');
                    } else if (cp == '\r' || SqlView.marked(cp)) {
                        mark(b, cp);
                    } else {
                        b.append(esc(new String(Character.toChars(cp))));
                    }
                    i += Character.charCount(cp);
                }
            }
            b.append("</pre></li>");
        }
        b.append("</ol></details>");
    }

    private static void item(StringBuilder b, String label, String cls, String value) {
        b.append("<dt>").append(label).append("</dt><dd class=\"").append(cls).append("\">")
                .append(esc(value == null || value.isEmpty() ? "-" : value)).append("</dd>");
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    private static String head(String title) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title><link rel=\"stylesheet\" href=\"/page.css\"><script src=\"/page.js\" defer></script></head><body>";
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String script() {
        return """
                'use strict';
                // Signs in by keeping the approver token in a same-site cookie the server reads to render the page;
                // votes go to the JSON API with the token as a Bearer header, so the cookie alone cannot cast one.
                function token() {
                  const m = document.cookie.split('; ').find(c => c.startsWith('gatehouse_token='));
                  return m ? decodeURIComponent(m.substring('gatehouse_token='.length)) : '';
                }
                async function vote(article, choice) {
                  const status = document.getElementById('status');
                  const reason = article.querySelector('.vote-reason').value;
                  const res = await fetch('/api/requests/' + encodeURIComponent(article.dataset.id) + '/' + choice, {
                    method: 'POST',
                    headers: {'Authorization': 'Bearer ' + token(), 'Content-Type': 'application/json', 'X-Gatehouse-Channel': 'page'},
                    body: JSON.stringify({reason: reason})
                  });
                  const body = await res.json();
                  if (res.ok) {
                    location.reload();
                  } else {
                    status.textContent = res.status + ' ' + body.error + (body.reason ? ': ' + body.reason : '');
                    status.className = 'error';
                  }
                }
                document.addEventListener('DOMContentLoaded', () => {
                  const login = document.getElementById('login');
                  if (login) {
                    login.addEventListener('submit', e => {
                      e.preventDefault();
                      document.cookie = 'gatehouse_token=' + encodeURIComponent(document.getElementById('token').value)
                        + '; path=/; SameSite=Strict';
                      location.reload();
                    });
                  }
                  const out = document.getElementById('sign-out');
                  if (out) {
                    out.addEventListener('click', () => {
                      document.cookie = 'gatehouse_token=; path=/; max-age=0; SameSite=Strict';
                      location.reload();
                    });
                  }
                  document.querySelectorAll('article.request').forEach(a => {
                    const ok = a.querySelector('button.approve');
                    const no = a.querySelector('button.deny');
                    if (ok) ok.addEventListener('click', () => vote(a, 'approve'));
                    if (no) no.addEventListener('click', () => vote(a, 'deny'));
                  });
                });
                """;
    }

    static String style() {
        return """
                body { font-family: system-ui, sans-serif; margin: 0 2rem 2rem; color: #222; }
                header { display: flex; gap: 1rem; align-items: baseline; }
                article.request { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
                article.pending { border-color: #d80; }
                pre.sql { background: #f6f6f6; padding: .5rem; white-space: pre; overflow-x: auto; margin: .2rem 0; }
                section.statement h5 { margin: .6rem 0 0; font-size: .8em; color: #555; }
                section.statement { border-left: 3px solid #89a; padding-left: .5rem; }
                .comment { color: #6a737d; font-style: italic; background: #eef1f4; }
                .mark { color: #b00; border: 1px solid #b00; border-radius: 3px; font-size: .75em; padding: 0 .15em; }
                .param { font-weight: bold; }
                .value { background: #fff6c8; border: 1px solid #cca; border-radius: 3px; font-size: .85em; padding: 0 .2em; margin-left: .1em; }
                pre.value { white-space: pre; overflow-x: auto; margin: 0; }
                .note, .error { color: #b00; }
                dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
                dt { font-weight: bold; }
                .state { text-transform: uppercase; font-size: .8em; }
                #status.error { color: #b00; }
                #hooks { font-size: .85em; color: #666; }
                #hooks.failing { color: #b00; }
                """;
    }
}
