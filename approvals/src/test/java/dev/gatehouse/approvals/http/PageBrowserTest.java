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

/** The DBA page in a real headless Chromium: sign in, read a held statement, refuse self-approval, approve. */
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

        signIn(dave);
        WebElement card = browser.findElement(By.id("r-" + id));
        card.findElement(By.className("vote-reason")).sendKeys("mine");
        card.findElement(By.className("approve")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "403"));
        assertTrue(browser.findElement(By.id("status")).getText().contains("own request"),
                browser.findElement(By.id("status")).getText());

        signIn(alice);
        assertEquals("signed in as alice", browser.findElement(By.id("who")).getText());
        List<WebElement> cards = browser.findElements(By.cssSelector("article.request"));
        assertEquals(id, cards.get(0).getDomAttribute("data-id"), "pending requests come first");
        card = browser.findElement(By.id("r-" + id));
        String sql = card.findElement(By.className("sql")).getText();
        assertTrue(sql.contains("<script>alert(1)</script>"), "SQL shown as text, never markup: " + sql);
        assertTrue(sql.contains("\nfrom users") && sql.contains("\nwhere id"), "formatted: " + sql);
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
}
