package dev.gatehouse.approvals.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anchors kept outside the store catch what the chain alone cannot: a suffix rewritten with consistent hashes,
 * a tail cut off with the head row moved back. On every store the audit chain tests use.
 */
class AnchorTest {
    private static final Instant AT = Instant.parse("2026-11-22T02:00:00Z");

    @TempDir
    Path dir;

    /**
     * One verify outcome: six records by alice, anchors taken at records 3 and 6 (in that order, or swapped),
     * then {@code tamper}.
     *
     * @param expected null: the anchors hold
     */
    private record Case(String name, Consumer<Store> tamper, boolean swapAnchors, AnchorCheck.Kind expected, int line) {
    }

    private static final List<Case> CASES = List.of(
            new Case("intact chain: the anchors hold", s -> { }, false, null, 0),
            new Case("chain grew after the last anchor: the anchors hold", s -> AuditRewrites.append(s, 2, "carol"), false, null, 0),
            new Case("suffix from record 5 rewritten consistently", s -> AuditRewrites.rewriteFrom(s, 5, "alice", "mallory"),
                    false, AnchorCheck.Kind.REWRITTEN, 2),
            new Case("suffix from record 2 rewritten consistently", s -> AuditRewrites.rewriteFrom(s, 2, "alice", "mallory"),
                    false, AnchorCheck.Kind.REWRITTEN, 1),
            new Case("tail cut to record 4, head row moved back", s -> AuditRewrites.truncateTo(s, 4),
                    false, AnchorCheck.Kind.TRUNCATED, 2),
            new Case("tail cut to record 2 and regrown past both anchors", s -> {
                AuditRewrites.truncateTo(s, 2);
                AuditRewrites.append(s, 5, "mallory");
            }, false, AnchorCheck.Kind.REWRITTEN, 1),
            new Case("anchors out of order", s -> { }, true, AnchorCheck.Kind.OUT_OF_ORDER, 2));

    @TestFactory
    Stream<DynamicContainer> verifyWithAnchors() {
        return Stream.of("h2", "postgres", "mysql").map(kind -> DynamicContainer.dynamicContainer(kind, CASES.stream().map(c ->
                DynamicTest.dynamicTest(c.name(), () -> {
                    TestStores ts = TestStores.of(kind);
                    try (Store store = ts.open()) {
                        AuditRewrites.append(store, 3, "alice");
                        Anchor third = Anchor.of(AuditLog.head(store), AT);
                        AuditRewrites.append(store, 3, "alice");
                        Anchor sixth = Anchor.of(AuditLog.head(store), AT.plusSeconds(60));
                        assertEquals(6, sixth.seq());
                        Path file = dir.resolve(kind + "-" + java.util.UUID.randomUUID() + ".jsonl");
                        List<Anchor> order = c.swapAnchors() ? List.of(sixth, third) : List.of(third, sixth);
                        for (Anchor a : order) {
                            AnchorFile.append(file, a);
                        }
                        c.tamper().accept(store);

                        AuditVerifier.Result plain = AuditVerifier.verify(store);
                        assertTrue(plain.ok(), "a consistent rewrite passes the chain alone: " + plain);
                        AnchorCheck.Result r = AnchorCheck.verify(store, AnchorFile.read(file));
                        if (c.expected() == null) {
                            assertTrue(r.ok(), r.toString());
                            assertEquals(2, r.anchors());
                        } else {
                            AnchorCheck.Problem p = r.problem().orElseThrow(() -> new AssertionError("anchors held: " + r));
                            assertEquals(c.expected(), p.kind(), p.what());
                            assertEquals(c.line(), p.line(), p.what());
                            assertTrue(p.what().contains("line " + c.line()), p.what());
                        }
                    } finally {
                        ts.drop();
                    }
                }))));
    }

    private record Malformed(String name, String content, long line, String says) {
    }

    private static final String GOOD = new Anchor(3, "ab".repeat(32), AT).toJson();

    @TestFactory
    Stream<DynamicTest> aMalformedAnchorFileNamesTheLine() {
        return Stream.of(
                new Malformed("empty file", "", 1, "no anchors"),
                new Malformed("blank line", GOOD + "\n\n" + GOOD + "\n", 2, "blank line"),
                new Malformed("not JSON", GOOD + "\nseq=4\n", 2, "not an anchor"),
                new Malformed("hash missing", "{\"at\":\"2026-11-22T02:00:00Z\",\"seq\":4}\n", 1, "expected exactly the keys"),
                new Malformed("extra key", GOOD.replace("{", "{\"a\":1,") + "\n", 1, "expected exactly the keys"),
                new Malformed("short hash", GOOD.replace("abab", "ab") + "\n", 1, "64 lower-case hex digits"),
                new Malformed("upper-case hash", GOOD.replace("ab", "AB") + "\n", 1, "64 lower-case hex digits"),
                new Malformed("negative seq", GOOD.replace("\"seq\":3", "\"seq\":-3") + "\n", 1, "seq must be"),
                new Malformed("fractional seq", GOOD.replace("\"seq\":3", "\"seq\":3.5") + "\n", 1, "seq must be"),
                new Malformed("bad time", GOOD.replace("2026-11-22T02:00:00Z", "yesterday") + "\n", 1, "ISO-8601"),
                new Malformed("spaces", GOOD.replace(",", ", ") + "\n", 1, "not in the form gatehouse writes"),
                new Malformed("trailing text", GOOD + " {}\n", 1, "not in the form gatehouse writes"),
                new Malformed("carriage return", GOOD + "\r\n", 1, "not in the form gatehouse writes"),
                new Malformed("over-long line", GOOD + "\n" + "x".repeat(AnchorFile.MAX_LINE_CHARS + 1) + "\n", 2, "longer than"),
                new Malformed("torn last line", GOOD + "\n" + GOOD.substring(0, 20), 2, "incomplete last line"))
                .map(m -> DynamicTest.dynamicTest(m.name(), () -> {
                    Path file = dir.resolve("bad.jsonl");
                    Files.writeString(file, m.content(), StandardCharsets.UTF_8);
                    AnchorFile.BadAnchorFile e = assertThrows(AnchorFile.BadAnchorFile.class, () -> AnchorFile.read(file));
                    assertEquals(m.line(), e.line(), e.getMessage());
                    assertTrue(e.getMessage().startsWith(file + ":" + m.line() + ": "), e.getMessage());
                    assertTrue(e.getMessage().contains(m.says()), e.getMessage());
                }));
    }

    @Test
    void bytesThatAreNotUtf8AreABadLineToo() throws Exception {
        Path file = dir.resolve("latin1.jsonl");
        byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = GOOD.replace("2026", "2026\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, java.nio.ByteBuffer.allocate(good.length + bad.length + 1).put(good).put(bad).put((byte) '\n').array());
        AnchorFile.BadAnchorFile e = assertThrows(AnchorFile.BadAnchorFile.class, () -> AnchorFile.read(file));
        assertEquals(2, e.line(), e.getMessage());
    }

    @Test
    void anAnchorLineRoundTrips() throws Exception {
        Path file = dir.resolve("a.jsonl");
        AnchorFile.append(file, new Anchor(3, "ab".repeat(32), AT));
        AnchorFile.append(file, new Anchor(0, AuditLog.GENESIS, AT));
        assertEquals("{\"at\":\"2026-11-22T02:00:00Z\",\"hash\":\"" + "ab".repeat(32) + "\",\"seq\":3}\n"
                + "{\"at\":\"2026-11-22T02:00:00Z\",\"hash\":\"" + AuditLog.GENESIS + "\",\"seq\":0}\n", Files.readString(file));
        AnchorFile.Anchors read = AnchorFile.read(file);
        assertEquals(2, read.size());
        assertEquals("ab".repeat(32), read.hash(0));
        assertEquals(0, read.seq(1));
    }

    @Test
    void thePublisherAnchorsOnlyWhenTheHeadMovedAndRemembersAcrossRestarts() throws Exception {
        TestStores ts = TestStores.h2();
        Path file = dir.resolve("published.jsonl");
        Clock clock = Clock.fixed(AT, ZoneOffset.UTC);
        try (Store store = ts.open()) {
            AnchorPublisher p = new AnchorPublisher(store, file, clock);
            assertFalse(p.publish(), "the empty chain is not anchored");
            assertFalse(Files.exists(file));
            AuditRewrites.append(store, 2, "alice");
            assertTrue(p.publish());
            assertFalse(p.publish(), "the head did not move");
            assertEquals(1, Files.readAllLines(file).size());

            AnchorPublisher restarted = new AnchorPublisher(store, file, clock);
            assertFalse(restarted.publish(), "the file's last anchor already names this head");
            AuditRewrites.append(store, 1, "bob");
            assertTrue(restarted.publish());
            List<String> lines = Files.readAllLines(file);
            assertEquals(List.of(new Anchor(2, lines.isEmpty() ? "" : Anchor.parse(lines.get(0)).hash(), AT).toJson(),
                    Anchor.of(AuditLog.head(store), AT).toJson()), lines);
            assertTrue(AnchorCheck.verify(store, AnchorFile.read(file)).ok());

            // a rewrite in place is anchored too (and logged): the file then holds the evidence
            AuditRewrites.rewriteFrom(store, 1, "alice", "mallory");
            assertTrue(restarted.publish());
            AnchorCheck.Result r = AnchorCheck.verify(store, AnchorFile.read(file));
            assertEquals(AnchorCheck.Kind.REWRITTEN, r.problem().orElseThrow().kind());
            assertEquals(1, r.problem().get().line());
        } finally {
            ts.drop();
        }
    }

    @Test
    void aCleanStopAnchorsTheFinalHead() throws Exception {
        TestStores ts = TestStores.h2();
        Path file = dir.resolve("stop.jsonl");
        try (Store store = ts.open()) {
            AnchorPublisher p = AnchorPublisher.start(store, file, AnchorPublisher.MAX_EVERY);
            AuditRewrites.append(store, 4, "alice");
            p.close();
            List<String> lines = Files.readAllLines(file);
            assertTrue(Anchor.parse(lines.get(lines.size() - 1)).names(AuditLog.head(store)), lines.toString());
        } finally {
            ts.drop();
        }
    }

    @Test
    void aFailedPublicationIsLoggedAndRetriedAndATornLineIsEndedFirst() throws Exception {
        TestStores ts = TestStores.h2();
        Path file = dir.resolve("later").resolve("anchors.jsonl");
        try (Store store = ts.open()) {
            AuditRewrites.append(store, 1, "alice");
            AnchorPublisher p = new AnchorPublisher(store, file, Clock.systemUTC());
            p.publishLogged(); // the directory does not exist yet: logged, not thrown
            assertFalse(Files.exists(file));
            Files.createDirectories(file.getParent());
            ts.sql("ALTER TABLE gh_audit_head RENAME TO gh_audit_head_away");
            p.publishLogged(); // the store fails: logged, not thrown
            assertFalse(Files.exists(file));
            ts.sql("ALTER TABLE gh_audit_head_away RENAME TO gh_audit_head");
            Files.writeString(file, "{\"at\":\"2026"); // an earlier write that was cut short
            assertTrue(p.publish(), "retried: the head has still not been anchored");
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            assertEquals(2, lines.size(), lines.toString());
            assertEquals(Anchor.of(AuditLog.head(store), AT).seq(), Anchor.parse(lines.get(1)).seq());
            AnchorFile.BadAnchorFile e = assertThrows(AnchorFile.BadAnchorFile.class, () -> AnchorFile.read(file));
            assertEquals(1, e.line(), "verify still reports the torn line");
            assertEquals(1, AnchorFile.last(file).orElseThrow().seq());
        } finally {
            ts.drop();
        }
    }
}
