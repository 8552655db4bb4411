package dev.gatehouse.approvals.http;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.RequestSummary;
import dev.gatehouse.approvals.Vote;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The DBA page, rendered on the server (every value HTML-escaped); {@code page.js} only signs in (stores the
 * token in a same-site cookie) and posts votes to the API with the token as a Bearer header, so the page
 * needs no inline script and runs under a strict Content-Security-Policy. Runs on HTTP server threads.
 */
final class Page {
    private Page() {
    }

    static String login() {
        return head("Gatehouse approvals: sign in")
                + "<main><h1>Gatehouse approvals</h1><form id=\"login\"><label for=\"token\">Approver token</label>"
                + "<input id=\"token\" type=\"password\" autocomplete=\"off\" required>"
                + "<button id=\"sign-in\" type=\"submit\">Sign in</button></form>"
                + "<p class=\"hint\">Get a token with <code>bin/gatehouse approver token NAME</code>.</p></main></body></html>";
    }

    static String render(String approver, List<ApprovalRequest> requests, HookHealth hooks, Instant now) {
        StringBuilder b = new StringBuilder(4096);
        b.append(head("Gatehouse approvals"));
        b.append("<header><h1>Gatehouse approvals</h1><span id=\"who\">signed in as ").append(esc(approver))
                .append("</span> <button id=\"sign-out\" type=\"button\">Sign out</button></header><main>");
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
            request(b, r, now);
        }
        return b.append("</main></body></html>").toString();
    }

    private static void request(StringBuilder b, ApprovalRequest r, Instant now) {
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
        b.append("<pre class=\"sql\">").append(esc(SqlLayout.layout(r.sql()))).append("</pre>");
        b.append("<details><summary>Exact text and parameters</summary><pre class=\"exact\">").append(esc(r.sql()))
                .append("</pre><p class=\"params\">Parameters: ").append(esc(String.valueOf(r.parameters()))).append("</p></details>");
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
        if (r.state() == RequestState.PENDING) {
            b.append("<form class=\"vote\"><input class=\"vote-reason\" name=\"reason\" placeholder=\"Reason\" maxlength=\"2000\">")
                    .append("<button type=\"button\" class=\"approve\">Approve</button>")
                    .append("<button type=\"button\" class=\"deny\">Deny</button></form>");
        }
        b.append("</article>");
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
                pre.sql { background: #f6f6f6; padding: .5rem; white-space: pre-wrap; }
                dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
                dt { font-weight: bold; }
                .state { text-transform: uppercase; font-size: .8em; }
                #status.error { color: #b00; }
                #hooks { font-size: .85em; color: #666; }
                #hooks.failing { color: #b00; }
                """;
    }
}
