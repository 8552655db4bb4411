package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.Principal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code gatehouse check}: decides SQL read from stdin and prints the decision as JSON. With
 * {@code --jsonl}, replays a log: one JSON request per input line, one JSON decision per output line,
 * flushed as it goes; a bad line gives an error object for that line and the replay goes on.
 */
final class CheckCommand implements Command {
    /** Bounds what one run holds in memory: a submission, or one log line. */
    static final int MAX_INPUT_CHARS = 16 * 1024 * 1024;
    static final int MAX_LINE_CHARS = 4 * 1024 * 1024;
    /** Exit codes of {@code --exit-code}. */
    static final int EXIT_REVIEW = 3;
    static final int EXIT_DENY = 4;

    static final List<Options.Spec> OPTIONS = List.of(
            new Options.Spec("--policy", "FILE", "the policy file (required)"),
            new Options.Spec("--schema", "FILE", "a schema file of CREATE statements: the tables and views names resolve to"),
            new Options.Spec("--dialect", "NAME", "postgres (default) or mysql"),
            new Options.Spec("--default-schema", "NAME", "PostgreSQL search path (default public); MySQL current database (default: the schema file's USE)"),
            new Options.Spec("--principal", "NAME", "who submits the SQL (default anonymous)"),
            new Options.Spec("--jsonl", null, "read one JSON object per line {\"sql\": ..., \"principal\": ...}, print one decision per line"),
            new Options.Spec("--exit-code", null, "exit 3 when the strictest decision is review, 4 when it is deny (for CI)"));

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "decide SQL from stdin against a policy; print the decision as JSON";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse check --policy FILE [--schema FILE] [--dialect postgres|mysql]
                                       [--default-schema NAME] [--principal NAME] [--jsonl] [--exit-code]

                Reads SQL from stdin (one submission, possibly several statements) and prints one JSON object:
                  {"decision": "allow|review|deny", "reason": ..., "statements": [{"sql", "kinds", "operation",
                   "decision", "rules", "shadow_rules", "tables", "reads", "writes", "functions", "unbounded",
                   "lineage_complete", "reason", "review", "hits", "notes"}]}
                With --jsonl, every input line is {"sql": ..., "principal"?: ..., "default_schema"?: ..., "id"?: ...}
                and every output line is the decision for it (with the line's "id" echoed); a line that cannot
                be read gives {"line": N, "error": ...}.
                Exit code: 0 when the check ran (the decision is in the JSON), 2 for a bad command line, policy
                or schema. With --exit-code: 3 review, 4 deny (a bad --jsonl line counts as deny).

                """ + Options.describe(OPTIONS);
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options options = Options.parse(args, OPTIONS, false);
        CheckSetup setup;
        try {
            setup = CheckSetup.open(Path.of(options.required("--policy")),
                    options.value("--schema").map(Path::of).orElse(null),
                    CheckSetup.dialect(options.value("--dialect").orElse("postgres")),
                    options.value("--default-schema").orElse(null));
        } catch (PolicyException e) {
            throw new UsageException(e.getMessage());
        }
        Principal principal = principal(options.value("--principal").orElse(null));
        Action strictest = options.flag("--jsonl")
                ? replay(setup, principal, terminal)
                : once(setup, principal, terminal);
        if (!options.flag("--exit-code")) {
            return 0;
        }
        return switch (strictest) {
            case ALLOW -> 0;
            case REVIEW -> EXIT_REVIEW;
            case DENY -> EXIT_DENY;
        };
    }

    private Action once(CheckSetup setup, Principal principal, Terminal terminal) throws UsageException {
        String sql = readAll(terminal.in());
        Decision decision = setup.gate().decide(sql, setup.defaultSchema(), principal);
        ObjectNode json = DecisionJson.render(mapper, decision);
        try {
            terminal.out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
        return decision.verdict().action();
    }

    /** Streams a log: reads a line, decides it, prints and flushes, so a caller can pipe 30,000 lines through. */
    private Action replay(CheckSetup setup, Principal principal, Terminal terminal) {
        Action strictest = Action.ALLOW;
        PrintStream out = terminal.out();
        BufferedReader reader = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
        LineReader lines = new LineReader(reader, MAX_LINE_CHARS);
        int number = 0;
        try {
            for (String line = lines.next(); line != null; line = lines.next()) {
                number++;
                ObjectNode result;
                try {
                    result = decideLine(setup, principal, line);
                    strictest = strictest.strictest(actionOf(result));
                } catch (BadLine e) {
                    result = mapper.createObjectNode().put("line", number).put("error", e.getMessage());
                    strictest = Action.DENY;
                }
                out.println(mapper.writeValueAsString(result));
                out.flush();
            }
        } catch (IOException e) {
            ObjectNode error = mapper.createObjectNode().put("line", number + 1).put("error", "cannot read input: " + e.getMessage());
            out.println(error.toString());
            out.flush();
            return Action.DENY;
        }
        return strictest;
    }

    private ObjectNode decideLine(CheckSetup setup, Principal fallback, String line) throws BadLine {
        if (line == null || line.length() > MAX_LINE_CHARS) {
            throw new BadLine("line longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonNode request;
        try {
            request = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLine("not JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw new BadLine("expected a JSON object {\"sql\": ...}");
        }
        JsonNode sql = request.get("sql");
        if (sql == null || !sql.isTextual()) {
            throw new BadLine("expected a text field \"sql\"");
        }
        Principal principal = fallback;
        JsonNode name = request.get("principal");
        if (name != null && !name.isNull()) {
            if (!name.isTextual() || name.asText().isBlank()) {
                throw new BadLine("\"principal\" must be a non-blank text");
            }
            principal = Principal.of(name.asText());
        }
        String defaultSchema = setup.defaultSchema();
        JsonNode schema = request.get("default_schema");
        if (schema != null && !schema.isNull()) {
            if (!schema.isTextual()) {
                throw new BadLine("\"default_schema\" must be text");
            }
            defaultSchema = schema.asText();
        }
        Decision decision = setup.gate().decide(sql.asText(), defaultSchema, principal);
        ObjectNode result = DecisionJson.render(mapper, decision);
        JsonNode id = request.get("id");
        if (id != null) {
            ObjectNode withId = mapper.createObjectNode();
            withId.set("id", id);
            withId.setAll(result);
            return withId;
        }
        return result;
    }

    private static Action actionOf(ObjectNode result) {
        return Action.valueOf(result.get("decision").asText().toUpperCase(java.util.Locale.ROOT));
    }

    static Principal principal(String name) throws UsageException {
        if (name == null) {
            return Principal.ANONYMOUS;
        }
        if (name.isBlank()) {
            throw new UsageException("--principal must not be blank");
        }
        return Principal.of(name);
    }

    private static String readAll(InputStream in) throws UsageException {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                text.append(buffer, 0, n);
                if (text.length() > MAX_INPUT_CHARS) {
                    throw new UsageException("stdin is larger than " + MAX_INPUT_CHARS + " characters; split it, or use --jsonl");
                }
            }
            return text.toString();
        } catch (IOException e) {
            throw new UsageException("cannot read stdin: " + e.getMessage());
        }
    }

    /** One unusable input line: reported in place, the replay continues. */
    private static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(String message) {
            super(message);
        }
    }
}
