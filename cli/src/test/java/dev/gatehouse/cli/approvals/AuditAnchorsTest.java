package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.audit.Anchor;
import dev.gatehouse.approvals.audit.AuditLog;
import dev.gatehouse.approvals.audit.AuditRewrites;
import dev.gatehouse.approvals.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse audit head} and {@code audit verify --anchors} on the command line, against H2 and PostgreSQL
 * stores that someone rewrote with SQL; and {@code serve} writing anchors to its file only when the head moved.
 */
class AuditAnchorsTest {
    @TempDir
    Path dir;

    /** A store the CLI reaches by URL and user; H2 on a file (closed between uses), or a fresh PostgreSQL schema. */
    private record Bed(String url, String user, TestStores pg) {
        static Bed of(String kind, Path dir) {
            if (kind.equals("h2")) {
                return new Bed("jdbc:h2:file:" + dir.resolve("store-" + UUID.randomUUID()), "sa", null);
            }
            TestStores pg = TestStores.postgres();
            return new Bed(pg.url(), "postgres", pg);
        }

        Store open() {
            return Store.open(url, user, pg == null ? "" : null, 2);
        }

        void with(Consumer<Store> work) {
            try (Store s = open()) {
                work.accept(s);
            }
        }

        String[] args(String... words) {
            List<String> a = new java.util.ArrayList<>(List.of(words));
            a.addAll(List.of("--store", url));
            a.addAll(List.of("--store-user", user));
            return a.toArray(String[]::new);
        }

        void drop() {
            if (pg != null) {
                pg.drop();
            }
        }
    }

    /**
     * Six records, {@code audit head} appended to the anchor file after the third and the sixth (or written by
     * {@code anchorFile}), then {@code tamper}, then {@code audit verify --anchors}.
     */
    private record Case(String name, Consumer<Store> tamper, String anchorFile, int exit, String says) {
    }

    private static final List<Case> CASES = List.of(
            new Case("good chain: anchors hold", s -> { }, null, 0, "6 records, chain intact, 2 anchors hold"),
            new Case("suffix rewritten with SQL", s -> AuditRewrites.rewriteFrom(s, 4, "alice", "mallory"), null, 1,
                    "chain intact by itself, but ANCHOR FAILED (rewritten): anchor on line 2 names record 6"),
            new Case("tail truncated with SQL", s -> AuditRewrites.truncateTo(s, 5), null, 1,
                    "ANCHOR FAILED (truncated): anchor on line 2 names record 6, but the chain ends at record 5"),
            new Case("anchors out of order", s -> { }, "swap", 1, "ANCHOR FAILED (out of order): anchor on line 2"),
            new Case("malformed anchor file", s -> { }, "{\"seq\":1}\n", 2, "anchors.jsonl:1: not an anchor"),
            new Case("anchor file missing", s -> { }, "none", 2, "cannot read the anchor file"));

    @TestFactory
    Stream<DynamicContainer> verifyWithAnchorsOnTheCommandLine() {
        return Stream.of("h2", "postgres").map(kind -> DynamicContainer.dynamicContainer(kind, CASES.stream().map(c ->
                DynamicTest.dynamicTest(c.name(), () -> {
                    Bed bed = Bed.of(kind, dir);
                    Path anchors = dir.resolve(UUID.randomUUID() + "-anchors.jsonl");
                    try {
                        bed.with(s -> AuditRewrites.append(s, 3, "alice"));
                        String third = head(bed);
                        bed.with(s -> AuditRewrites.append(s, 3, "alice"));
                        String sixth = head(bed);
                        switch (c.anchorFile() == null ? "" : c.anchorFile()) {
                            case "" -> Files.writeString(anchors, third + sixth);
                            case "swap" -> Files.writeString(anchors, sixth + third);
                            case "none" -> { }
                            default -> Files.writeString(anchors, c.anchorFile());
                        }
                        bed.with(c.tamper());
                        assertEquals(0, Ran.main(bed.args("audit", "verify")).exit(), "the chain alone passes");
                        Ran r = Ran.main(bed.args("audit", "verify", "--anchors", anchors.toString()));
                        assertEquals(c.exit(), r.exit(), r.out() + r.err());
                        assertTrue((r.out() + r.err()).contains(c.says()), r.out() + r.err());
                    } finally {
                        bed.drop();
                    }
                }))));
    }

    /** {@code audit head}: one anchor line naming the store's head. */
    private static String head(Bed bed) {
        Ran r = Ran.main(bed.args("audit", "head"));
        assertEquals(0, r.exit(), r.err());
        Anchor a = Anchor.parse(r.out().strip());
        try (Store s = bed.open()) {
            assertTrue(a.names(AuditLog.head(s)), r.out());
        }
        return r.out();
    }

    @Test
    void headAndVerifyExitThreeWhenTheStoreIsDownAndTwoForMisplacedFlags() throws Exception {
        Path anchors = dir.resolve("a.jsonl");
        Files.writeString(anchors, new Anchor(1, "ab".repeat(32), java.time.Instant.parse("2026-11-22T02:00:00Z")).toJson() + "\n");
        String down = "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2";
        assertEquals(3, Ran.main("audit", "head", "--store", down).exit());
        assertEquals(3, Ran.main("audit", "verify", "--anchors", anchors.toString(), "--store", down).exit());
        Ran misplaced = Ran.main("audit", "export", "--anchors", anchors.toString(), "--store", down);
        assertEquals(2, misplaced.exit());
        assertTrue(misplaced.err().contains("--anchors is for audit verify"), misplaced.err());
    }

    @Test
    void serveWritesAnAnchorOnlyWhenTheHeadMoved() throws Exception {
        TestStores pg = TestStores.postgres();
        Path anchors = dir.resolve("anchors.jsonl");
        Files.writeString(dir.resolve("serve.yaml"), """
                version: 1
                listen: 127.0.0.1:0
                store: { url: "%s", user: postgres }
                audit:
                  anchors: { file: anchors.jsonl, every: 1s }
                """.formatted(pg.url()));
        ServeProcess serve = ServeProcess.start(dir, List.of("serve", "--config", dir.resolve("serve.yaml").toString()), Map.of());
        try (Store store = Store.open(pg.url(), "postgres", null, 2)) {
            serve.apiPort();
            assertTrue(serve.output().contains("audit anchors to " + anchors + " every 1s"), serve.output());
            Thread.sleep(2500); // two intervals and more
            assertFalse(Files.exists(anchors) && !Files.readString(anchors).isEmpty(), "the empty chain is not anchored");

            AuditRewrites.append(store, 3, "alice"); // three transactions: serve may anchor record 1 or 2 on the way
            List<String> lines = linesUntil(anchors, AuditLog.head(store), serve);
            int settled = lines.size();
            Thread.sleep(3500); // three intervals with the head still
            assertEquals(settled, Files.readAllLines(anchors).size(), "no anchor while the head did not move");

            AuditRewrites.append(store, 2, "bob");
            lines = linesUntil(anchors, AuditLog.head(store), serve);
            assertTrue(lines.size() > settled, lines.toString());
            for (int i = 1; i < lines.size(); i++) {
                assertTrue(Anchor.parse(lines.get(i)).seq() > Anchor.parse(lines.get(i - 1)).seq(), "one anchor per head: " + lines);
            }
        } finally {
            serve.process().destroy();
            assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
        String[] verify = {"audit", "verify", "--anchors", anchors.toString(), "--store", pg.url(), "--store-user", "postgres"};
        try {
            Ran good = Ran.main(verify);
            assertEquals(0, good.exit(), good.out() + good.err());
            assertTrue(good.out().contains("5 records, chain intact, "), good.out());
            try (Store store = Store.open(pg.url(), "postgres", null, 2)) {
                AuditRewrites.rewriteFrom(store, 2, "alice", "mallory");
            }
            Ran rewritten = Ran.main(verify);
            assertEquals(1, rewritten.exit(), rewritten.out() + rewritten.err());
            assertTrue(rewritten.out().contains("ANCHOR FAILED (rewritten): anchor on line "), rewritten.out());
        } finally {
            pg.drop();
        }
    }

    /** Waits (at most 20 s) until the file's last complete line names {@code head}; returns the lines. */
    private static List<String> linesUntil(Path file, AuditLog.Head head, ServeProcess serve) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                List<String> lines = text.lines().toList();
                if (text.endsWith("\n") && Anchor.parse(lines.get(lines.size() - 1)).names(head)) {
                    return lines;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no anchor for record " + head.seq() + " in " + file + "; serve said: " + serve.output());
    }
}
