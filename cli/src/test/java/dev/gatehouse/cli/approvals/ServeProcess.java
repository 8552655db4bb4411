package dev.gatehouse.cli.approvals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * bin/gatehouse's main class as a real process: a fresh JVM on this test's class path, its output in a file, no
 * {@code GATEHOUSE_*} variables inherited. Used by the test thread that started it.
 */
record ServeProcess(Process process, Path log) {
    static ServeProcess start(Path dir, List<String> args, Map<String, String> env) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.gatehouse.cli.Main"));
        command.addAll(args);
        Path log = dir.resolve("out-" + UUID.randomUUID() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        pb.environment().putAll(env);
        return new ServeProcess(pb.start(), log);
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** serve's HTTP port, from its start-up line; waits (bounded) for the process to print it. */
    int apiPort() throws Exception {
        return portAfter("listening on http://127.0.0.1:");
    }

    /** serve's proxy port, from its start-up line. */
    int proxyPort() throws Exception {
        return portAfter("PostgreSQL proxy on 127.0.0.1:");
    }

    private int portAfter(String marker) throws Exception {
        for (int i = 0; i < 600; i++) {
            String text = output();
            int at = text.indexOf(marker);
            if (at >= 0) {
                int from = at + marker.length();
                int to = from;
                while (to < text.length() && Character.isDigit(text.charAt(to))) {
                    to++;
                }
                if (to > from) {
                    return Integer.parseInt(text.substring(from, to));
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("serve exited " + process.exitValue() + ": " + text);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start: " + output());
    }
}
