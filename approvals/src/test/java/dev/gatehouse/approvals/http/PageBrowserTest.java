package dev.gatehouse.approvals.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Submissions;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The DBA page in a real headless Chromium: sign in, read a held statement, no vote offered on one's own, approve;
 * and what approvers read is what runs ({@link #whatTheApproverReadsIsWhatTheServerRuns}).
 */
class PageBrowserTest {
    private static TestStores ts;
    private static Store store;
    private static ApprovalService service;
    private static ApiServer server;
    private static WebDriver browser;
    private static Path profile;
    private static String alice;
    private static String dave;

    @BeforeAll
    static void start() throws Exception {
        ts = TestStores.h2();
        store = ts.open();
        service = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null);
        TokenStore tokens = new TokenStore(store);
        alice = tokens.issue("alice");
        dave = tokens.issue("dave");
        server = new ApiServer(service, tokens, null, null, new InetSocketAddress("127.0.0.1", 0)).start();
        profile = Files.createTempDirectory("gatehouse-chrome-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,2000",
                "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driver, o);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        server.close();
        service.close();
        store.close();
        ts.drop();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void signIn(String token) {
        browser.manage().deleteAllCookies();
        browser.get("http://127.0.0.1:" + server.port() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
    }

    @Test
    void aDbaReadsTheHeldStatementAndApprovesItWhileTheRequesterCannot() {
        String id = service.open(Submissions.simple("select ssn, '<script>alert(1)</script>' from users where id = $1 and active",
                Submissions.dba(1))).requestId();
        String older = service.open(Submissions.simple("delete from users where id = 3", Submissions.dba(1))).requestId();
        service.vote(older, "bob", dev.gatehouse.approvals.Vote.Choice.DENY, "no", "api");

        // dave is the human the agent acts for: he sees his own request, but is offered no vote on it.
        signIn(dave);
        WebElement card = browser.findElement(By.id("r-" + id));
        assertTrue(card.findElements(By.className("approve")).isEmpty(), "no vote buttons on one's own request");
        assertEquals("agent-7", card.findElement(By.className("principal")).getText());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

        signIn(alice);
        assertEquals("signed in as alice", browser.findElement(By.id("who")).getText());
        List<WebElement> cards = browser.findElements(By.cssSelector("article.request"));
        assertEquals(id, cards.get(0).getDomAttribute("data-id"), "pending requests come first");
        card = browser.findElement(By.id("r-" + id));
        String sql = card.findElement(By.className("sql")).getText();
        assertTrue(sql.contains("<script>alert(1)</script>"), "SQL shown as text, never markup: " + sql);
        assertEquals("select ssn, '<script>alert(1)</script>' from users where id = $1⟨= '42'⟩ and active", sql,
                "exactly as sent, the bound value beside its placeholder");
        assertEquals("READ", card.findElement(By.className("kinds")).getText());
        assertEquals("public.users", card.findElement(By.className("tables")).getText());
        assertEquals("public.users.ssn", card.findElement(By.className("reads")).getText());
        assertTrue(card.findElement(By.className("rules")).getText().contains("pii review: column public.users.ssn"));
        assertEquals("agent-7", card.findElement(By.className("principal")).getText());
        assertEquals("dave", card.findElement(By.className("acting-for")).getText());
        assertTrue(card.findElement(By.className("source")).getText().contains("driver from 10.0.0.7 (psql) on database shop"));
        assertTrue(card.findElement(By.className("expiry")).getText().endsWith("min"));
        assertEquals("none yet", card.findElement(By.className("votes")).getText());

        card.findElement(By.className("vote-reason")).sendKeys("checked with the owner");
        card.findElement(By.className("approve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#r-" + id + " .votes"), "alice approved"));
        assertTrue(browser.findElement(By.cssSelector("#r-" + id + " .votes")).getText().contains("checked with the owner"));
        assertEquals(RequestState.APPROVED, service.find(id).orElseThrow().state());
        assertEquals("page", service.find(id).orElseThrow().votes().get(0).channel());
    }

    /** The search path (or MySQL database) the statement will run under is on its card. */
    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> theSearchPathIsShown() {
        record Case(String name, String searchPath, String shown, boolean recorded) {
            Case(String name, String searchPath, String shown) {
                this(name, searchPath, shown, true);
            }
        }
        return java.util.stream.Stream.of(
                new Case("a PostgreSQL search path", "billing, \"$user\", public", "billing, \"$user\", public"),
                new Case("a MySQL current database", "shop", "shop"),
                new Case("the empty search path", "", "empty (no schema)"),
                new Case("none: the server's default", null, "the server's default"),
                new Case("a request older than schema version 2", null,
                        "not recorded (the request is older than this Gatehouse)", false))
                .map(c -> org.junit.jupiter.api.DynamicTest.dynamicTest(c.name(), () -> {
                    String id = service.open(Submissions.under(Submissions.simple("delete from users where id = "
                            + Math.abs(c.name().hashCode()), Submissions.dba(1)), c.searchPath())).requestId();
                    if (!c.recorded()) {
                        ts.sql("UPDATE gh_request SET search_path_recorded = FALSE WHERE id = '" + id + "'");
                    }
                    signIn(alice);
                    WebElement card = browser.findElement(By.id("r-" + id));
                    assertEquals(c.shown(), card.findElement(By.className("search-path")).getText());
                }));
    }

    /** What the statement would touch is on its card, labelled measured or estimated. */
    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> theImpactIsShown() {
        record Case(String name, dev.gatehouse.approvals.Impact impact, String shown) {
        }
        return java.util.stream.Stream.of(
                new Case("measured", dev.gatehouse.approvals.Impact.measured(30),
                        "30 rows (measured: counted inside a savepoint, then rolled back)"),
                new Case("estimated", dev.gatehouse.approvals.Impact.estimated(1, 8.25, "EXPLAIN on PostgreSQL"),
                        "about 1 row, cost 8.25 (estimated: EXPLAIN on PostgreSQL)"),
                new Case("not recorded", null, "not recorded"))
                .map(c -> org.junit.jupiter.api.DynamicTest.dynamicTest(c.name(), () -> {
                    String id = service.open(Submissions.simple("delete from users where id = "
                            + Math.abs(c.name().hashCode()), Submissions.dba(1)).withImpact(c.impact())).requestId();
                    signIn(alice);
                    WebElement card = browser.findElement(By.id("r-" + id));
                    assertEquals(c.shown(), card.findElement(By.className("impact")).getText());
                }));
    }

    /**
     * What approvers read is what runs: each trick hides or fakes a statement or a comment in the text; the page,
     * in a real browser, must show where the server splits the text and what it reads as a comment. {@code drop}
     * is the text of a statement that may or may not run: on the rendered line that shows it, a {@code --} comment
     * opener appears exactly when the server reads it as commented out.
     */
    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> whatTheApproverReadsIsWhatTheServerRuns() {
        record Case(String name, String sql, int statements, boolean dropRuns, String mark) {
        }
        String drop = "DROP TABLE orders";
        return java.util.stream.Stream.of(
                new Case("a -- comment ended by a line break", "select 1 -- note\n; " + drop, 2, true, null),
                new Case("a -- comment ended by a lone CR", "select 1 -- note\r; " + drop, 2, true, "⟨U+000D"),
                new Case("a -- comment ended by CR LF", "select 1 -- note\r\n; " + drop, 2, true, null),
                new Case("U+2028 inside a -- comment", "select 1 -- note\u2028; " + drop, 1, false, "⟨U+2028 LINE SEPARATOR⟩"),
                new Case("U+2029 inside a -- comment", "select 1 -- note\u2029; " + drop, 1, false, "⟨U+2029"),
                new Case("U+0085 inside a -- comment", "select 1 -- note\u0085; " + drop, 1, false, "⟨U+0085"),
                new Case("a vertical tab inside a -- comment", "select 1 -- note\u000B; " + drop, 1, false, "⟨U+000B"),
                new Case("a form feed inside a -- comment", "select 1 -- note\u000C; " + drop, 1, false, "⟨U+000C"),
                new Case("a right-to-left override inside a -- comment", "select 1 -- note \u202E; " + drop, 1, false, "⟨U+202E"),
                new Case("a nested block comment", "select 1 /* a /* b */ ; " + drop + " -- */", 1, false, null),
                new Case("a block comment closed before the ;", "select 1 /* a */; " + drop, 2, true, null),
                new Case("a line break inside a string", "select 'a -- not a comment\n; " + drop + "'", 1, true, null),
                new Case("a line break inside a dollar quote", "select $$ -- x\n; " + drop + " $$", 1, true, null),
                new Case("a dollar quote closed before the ;", "select $a$ $$ ; $a$; " + drop, 2, true, null))
                .map(c -> org.junit.jupiter.api.DynamicTest.dynamicTest(c.name(), () -> {
                    String id = service.open(Submissions.simple(c.sql(), Submissions.dba(1))).requestId();
                    signIn(alice);
                    WebElement card = browser.findElement(By.id("r-" + id));
                    // Every rendered line of the text, as the browser lays it out.
                    List<String> lines = new java.util.ArrayList<>();
                    for (WebElement pre : card.findElements(By.cssSelector("pre.sql"))) {
                        lines.addAll(List.of(pre.getText().split("\n", -1)));
                    }
                    String dropLine = lines.stream().filter(l -> l.contains(drop)).findFirst()
                            .orElseThrow(() -> new AssertionError("the text is not all shown: " + lines));
                    boolean dashDash = dropLine.indexOf("--") >= 0 && dropLine.indexOf("--") < dropLine.indexOf(drop);
                    boolean blockOpen = dropLine.indexOf("/*") >= 0 && dropLine.indexOf("/*") < dropLine.indexOf(drop);
                    boolean quoted = c.sql().contains("'a -- not") || c.sql().contains("$$ -- x");
                    if (!quoted) {
                        assertEquals(!c.dropRuns(), dashDash || blockOpen, "the line an approver reads: " + lines);
                    }
                    assertEquals(c.statements(), card.findElements(By.cssSelector("section.statement")).size(),
                            "statements as the server splits them: " + lines);
                    // Inside a comment span exactly when the server does not run it (checked by the browser's DOM).
                    boolean inComment = false;
                    for (WebElement comment : card.findElements(By.cssSelector("pre.sql .comment"))) {
                        inComment |= comment.getText().contains(drop);
                        Object boxes = ((org.openqa.selenium.JavascriptExecutor) browser)
                                .executeScript("return arguments[0].getClientRects().length", comment);
                        if (!c.sql().contains("/*") && !c.sql().contains("\r")) {
                            assertEquals(1L, boxes, "a -- comment is drawn on one line: " + comment.getText());
                        }
                    }
                    assertEquals(!c.dropRuns(), inComment, "styled as a comment: " + lines);
                    if (c.mark() != null) {
                        String marks = String.join(" ", card.findElements(By.cssSelector("pre.sql .mark")).stream()
                                .map(WebElement::getText).toList());
                        assertTrue(marks.contains(c.mark()), "shown by code point: " + marks);
                    }
                }));
    }
}
