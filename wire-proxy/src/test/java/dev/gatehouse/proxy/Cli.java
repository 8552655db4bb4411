package dev.gatehouse.proxy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a PostgreSQL command-line client (psql, pgbench) with input on stdin, bounded in time. */
final class Cli {
    record Result(int exit, String output) {
    }

    private Cli() {
    }

    static Result run(String stdin, String... command) throws IOException, InterruptedException {
        return run(StandardCharsets.UTF_8, Map.of(), stdin, command);
    }

    /** Input written and output read in {@code charset}; {@code env} added to the environment. */
    static Result run(Charset charset, Map<String, String> env, String stdin, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().put("PGSSLMODE", "disable");
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(charset));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, charset));
    }

    static Result psql(int port, String stdin, String... extra) throws IOException, InterruptedException {
        return psql(port, StandardCharsets.UTF_8, Map.of(), stdin, extra);
    }

    static Result psql(int port, Charset charset, Map<String, String> env, String stdin, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-d", "test"));
        cmd.addAll(List.of(extra));
        return run(charset, env, stdin, cmd.toArray(String[]::new));
    }
}
