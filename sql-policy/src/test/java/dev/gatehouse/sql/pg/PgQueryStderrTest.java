package dev.gatehouse.sql.pg;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libpg_query's sources move the process's stderr around every call; the binding makes sure no build of it can.
 * Many threads parsing and scanning at once must leave fd 2 where it was and make no descriptors.
 */
class PgQueryStderrTest {

    @Test
    void concurrentReadingLeavesStderrAndDescriptorsAlone() throws Exception {
        Path fd2 = Path.of("/proc/self/fd/2");
        Path before = Files.readSymbolicLink(fd2);
        long descriptorsBefore = countDescriptors();
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int i = 0; i < 2_000; i++) {
                        ok &= PgQuery.parse("SELECT a FROM t WHERE b = " + i, true).ok();
                        ok &= PgQuery.scan("SELECT 'x' || " + i, true).ok();
                        ok &= !PgQuery.parse("SELECT FROM WHERE " + i, true).ok();
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        }
        assertEquals(before, Files.readSymbolicLink(fd2), "fd 2 was moved");
        // a few descriptors may come and go with the JVM itself; a leak of the parser's would be thousands
        assertTrue(countDescriptors() - descriptorsBefore < 20, "descriptors leaked");
    }

    /**
     * The race above would be rare on two cores, so the build itself is checked: the library imports no pipe, dup
     * or dup2 (the linker routes any call of libpg_query's to the shim), so nothing it runs can move fd 2.
     */
    @Test
    void theLibraryImportsNoDescriptorMovingCalls() throws Exception {
        Path so = Path.of("target/classes/native/linux-x86_64/libgatehouse_pgquery.so");
        assertTrue(Files.isRegularFile(so), "built library at " + so.toAbsolutePath());
        Process nm = new ProcessBuilder("nm", "-D", "--undefined-only", so.toString()).redirectErrorStream(true).start();
        String out = new String(nm.getInputStream().readAllBytes());
        assertEquals(0, nm.waitFor(), out);
        for (String line : out.split("\n")) {
            String symbol = line.strip().replaceFirst("^U\\s+", "").replaceFirst("@.*$", "");
            assertTrue(!symbol.equals("dup2") && !symbol.equals("dup") && !symbol.equals("pipe"),
                    () -> "the library still calls " + symbol + ":\n" + out);
        }
        assertTrue(out.contains("malloc"), "nm listed the imports:\n" + out);
    }

    private static long countDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
