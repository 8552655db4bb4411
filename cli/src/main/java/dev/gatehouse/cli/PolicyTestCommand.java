package dev.gatehouse.cli;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Explanation;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.policy.yaml.YamlDocument;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.policy.yaml.YamlNode;
import dev.gatehouse.policy.yaml.YamlObject;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code gatehouse test}: policy unit tests, like {@code opa test}. Each test file names a policy and lists
 * cases (SQL, principal, expected decision and, optionally, the rules expected to fire). Prints a line per
 * case, a diff with the explanation for failures, and {@code N passed, M failed}.
 */
final class PolicyTestCommand implements Command {
    static final List<String> FILE_KEYS = List.of("policy", "schema", "dialect", "default_schema", "principal", "cases");
    static final List<String> CASE_KEYS = List.of("name", "sql", "principal", "expect", "rules", "shadow_rules");
    static final List<String> ACTIONS = YamlObject.lowerNames(Action.values());
    /** Test files are small; a bound keeps a wrong argument (a log file) from being read whole. */
    static final long MAX_FILE_BYTES = 4 * 1024 * 1024;

    /** One case of a test file. Null {@code rules}/{@code shadowRules}: not checked. */
    record Case(String name, String sql, Principal principal, Action expect, Set<String> rules, Set<String> shadowRules) {
    }

    /** A parsed test file, ready to run. */
    record Suite(CheckSetup setup, List<Case> cases) {
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String summary() {
        return "run policy test files: SQL cases with expected decisions";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse test FILE...

                Runs policy tests. A test file is YAML:
                  policy: policy.yaml          # required, relative to the test file
                  schema: schema.sql           # optional schema file of CREATE statements
                  dialect: postgres            # optional: postgres (default) or mysql
                  default_schema: public       # optional: search path / current database
                  principal: agent-7           # optional default principal of the cases (default anonymous)
                  cases:
                    - name: dropping billing tables is denied
                      sql: DROP TABLE billing.invoices
                      principal: alice         # optional
                      expect: deny             # allow, review or deny
                      rules: [protect-billing] # optional: exactly these enforcing rules fire
                      shadow_rules: []         # optional: exactly these shadow rules fire
                Prints ok/FAIL per case with a diff and the explanation for failures, then "N passed, M failed".
                Exit code: 0 all passed, 1 a case failed, 2 a test file, policy or schema could not be used.
                """;
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options options = Options.parse(args, List.of(), true);
        if (options.positional().isEmpty()) {
            throw new UsageException("name at least one test file");
        }
        PrintStream out = terminal.out();
        int passed = 0;
        int failed = 0;
        boolean unusable = false;
        for (String name : options.positional()) {
            Suite suite;
            try {
                suite = load(Path.of(name));
            } catch (PolicyException e) {
                terminal.err().println(e.getMessage());
                unusable = true;
                continue;
            }
            out.println(name + ": " + suite.cases().size() + (suite.cases().size() == 1 ? " case" : " cases"));
            for (Case c : suite.cases()) {
                Decision d = suite.setup().gate().decide(c.sql(), suite.setup().defaultSchema(), c.principal());
                List<String> problems = compare(c, d);
                if (problems.isEmpty()) {
                    passed++;
                    out.println("  ok    " + c.name());
                } else {
                    failed++;
                    out.println("  FAIL  " + c.name());
                    printDiff(out, c, d, problems);
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        if (unusable) {
            return 2;
        }
        return failed > 0 ? 1 : 0;
    }

    /** What differs between the case's expectations and the decision; empty when it passes. */
    static List<String> compare(Case c, Decision d) {
        List<String> problems = new ArrayList<>();
        if (d.verdict().action() != c.expect()) {
            problems.add("decision");
        }
        if (c.rules() != null && !c.rules().equals(Set.copyOf(Explanation.ruleIds(d.verdict().hits(), false)))) {
            problems.add("rules");
        }
        if (c.shadowRules() != null && !c.shadowRules().equals(Set.copyOf(Explanation.ruleIds(d.verdict().hits(), true)))) {
            problems.add("shadow_rules");
        }
        return problems;
    }

    private static void printDiff(PrintStream out, Case c, Decision d, List<String> problems) {
        String indent = "        ";
        out.println(indent + "sql:      " + c.sql().strip().replace("\n", "\n" + indent + "          "));
        out.println(indent + "expected: " + expectation(c, problems));
        out.println(indent + "actual:   " + actual(d, problems));
        int n = 1;
        for (StatementDecision s : d.statements()) {
            List<String> lines = Explanation.lines(s);
            out.println(indent + "statement " + n++ + ": " + lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                out.println(indent + "  " + lines.get(i));
            }
        }
    }

    private static String expectation(Case c, List<String> problems) {
        StringBuilder s = new StringBuilder(Explanation.word(c.expect()));
        if (problems.contains("rules") || (c.rules() != null && problems.contains("decision"))) {
            s.append(", rules ").append(sorted(c.rules()));
        }
        if (problems.contains("shadow_rules")) {
            s.append(", shadow rules ").append(sorted(c.shadowRules()));
        }
        return s.toString();
    }

    private static String actual(Decision d, List<String> problems) {
        StringBuilder s = new StringBuilder(Explanation.word(d.verdict().action()));
        s.append(", rules ").append(sorted(Set.copyOf(Explanation.ruleIds(d.verdict().hits(), false))));
        if (problems.contains("shadow_rules")) {
            s.append(", shadow rules ").append(sorted(Set.copyOf(Explanation.ruleIds(d.verdict().hits(), true))));
        }
        String reason = Explanation.reason(d.verdict());
        if (!reason.isEmpty()) {
            s.append(" (").append(reason).append(')');
        }
        return s.toString();
    }

    private static List<String> sorted(Set<String> ids) {
        List<String> list = new ArrayList<>(ids);
        list.sort(null);
        return list;
    }

    /** Reads and validates a test file as strictly as a policy: errors name file, line and field. */
    static Suite load(Path file) throws PolicyException {
        byte[] bytes = BoundedFiles.read(file, MAX_FILE_BYTES, "test file");
        YamlObject top = YamlObject.root(YamlDocument.parse(file.toString(), bytes));
        top.allowOnly(FILE_KEYS);
        Path base = file.toAbsolutePath().getParent();
        Path policy = base.resolve(top.requiredString("policy"));
        Optional<String> schema = top.string("schema");
        Dialect dialect = top.enumValue("dialect", List.of("postgres", "mysql"), Dialect::parse).orElse(Dialect.POSTGRES);
        CheckSetup setup;
        try {
            setup = CheckSetup.open(policy, schema.map(base::resolve).orElse(null), dialect, top.string("default_schema").orElse(null));
        } catch (UsageException e) {
            // Only the schema file can be unusable here; policy problems arrive as PolicyException naming the policy file.
            throw YamlObject.error(top.keyAt("schema"), "schema", e.getMessage());
        }
        Principal fallback = top.string("principal").map(Principal::of).orElse(Principal.ANONYMOUS);
        List<YamlNode> items = top.list("cases").orElseThrow(() -> YamlObject.error(top.where(), "cases", "missing (required)"));
        List<Case> cases = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            YamlObject c = YamlObject.of(items.get(i), "cases[" + i + "]");
            c.allowOnly(CASE_KEYS);
            String name = c.requiredString("name");
            if (!names.add(name)) {
                throw YamlObject.error(c.keyAt("name"), c.pathOf("name"), "duplicate case name '" + name + "'");
            }
            c.required("expect");
            Action expect = c.enumValue("expect", ACTIONS, n -> Action.valueOf(n.toUpperCase(Locale.ROOT))).orElseThrow();
            cases.add(new Case(name, c.requiredString("sql"), c.string("principal").map(Principal::of).orElse(fallback),
                    expect, ids(c, "rules"), ids(c, "shadow_rules")));
        }
        return new Suite(setup, cases);
    }

    /** An id list; {@code []} is allowed here and means "no rule fires". Null when not given. */
    private static Set<String> ids(YamlObject c, String key) throws PolicyException {
        Optional<YamlNode> node = c.node(key);
        if (node.isEmpty()) {
            return null;
        }
        if (node.get() instanceof YamlNode.Sequence s && s.items().isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(c.strings(key));
    }
}
