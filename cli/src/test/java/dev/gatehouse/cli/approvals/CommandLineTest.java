package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cli.Options;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The approvals commands parse, explain and refuse their command lines like every other command. */
class CommandLineTest {

    private record Documented(String command, List<Options.Spec> options, List<String> words) {
    }

    @TestFactory
    Stream<DynamicTest> helpDescribesEveryOptionAndForm() {
        return Stream.of(
                new Documented("serve", ServeCommand.OPTIONS, List.of("--config FILE")),
                new Documented("approvals", ApprovalsCommand.OPTIONS, List.of("approvals list", "approvals show ID",
                        "approvals approve ID", "approvals deny ID")),
                new Documented("audit", AuditCommand.OPTIONS, List.of("audit verify", "audit export", "audit head")),
                new Documented("approver", CredentialCommand.APPROVER_OPTIONS, List.of("approver token NAME",
                        "approver list", "approver revoke NAME")),
                new Documented("requester", CredentialCommand.REQUESTER_OPTIONS, List.of("requester token NAME",
                        "requester list", "requester revoke NAME"))
        ).map(d -> DynamicTest.dynamicTest(d.command() + " --help", () -> {
            Ran help = Ran.main(d.command(), "--help");
            assertEquals(0, help.exit(), help.err());
            assertTrue(help.out().startsWith("Usage: gatehouse " + d.command()), help.out());
            for (Options.Spec spec : d.options()) {
                assertTrue(help.out().contains("  " + spec.name() + (spec.takesValue() ? " " + spec.valueName() : "")),
                        spec.name() + " in " + help.out());
            }
            for (String word : d.words()) {
                assertTrue(help.out().contains(word), word + " in " + help.out());
            }
            assertEquals(help.out(), Ran.main("help", d.command()).out());
        }));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "serve: unknown option          | serve --listn 1:2                       | unknown option '--listn' (options: --config",
            "serve: bad listen              | serve --listen nowhere                  | --listen wants HOST:PORT",
            "serve: a password is no flag   | serve --store-password hunter2          | unknown option '--store-password'",
            "serve: stray argument          | serve extra                             | unexpected argument 'extra'",
            "serve: missing config file     | serve --config /nonexistent/serve.yaml  | /nonexistent/serve.yaml: no such config file",
            "serve: missing policy file     | serve --policy /nonexistent/p.yaml --listen 127.0.0.1:0 | /nonexistent/p.yaml",
            "approvals: no verb             | approvals                               | say approvals list|show|approve|deny",
            "approvals: unknown verb        | approvals destroy x                     | say approvals list|show|approve|deny, not destroy",
            "approvals: show without id     | approvals show                          | approvals show takes one request id",
            "approvals: list filter on show | approvals show x --state pending        | --state is for approvals list",
            "approvals: reason on list      | approvals list --reason x               | --reason is for approvals approve and deny",
            "approvals: unknown option      | approvals list --sever x                | unknown option '--sever'",
            "approvals: value missing       | approvals list --server                 | option --server needs a value (URL)",
            "approvals: not a URL           | approvals list --server localhost:1     | --server wants an http(s) URL",
            "approvals: token file missing  | approvals list --token-file /nonexistent/t | --token-file: no such file /nonexistent/t",
            "audit: no verb                 | audit                                   | say audit verify, audit export or audit head",
            "audit: unknown verb            | audit repair                            | say audit verify, audit export or audit head, not repair",
            "audit: unknown option          | audit verify --stor x                   | unknown option '--stor'",
            "audit: out on verify           | audit verify --out x                    | --out is for audit export",
            "audit: out on head             | audit head --out x                      | --out is for audit export",
            "audit: anchors on head         | audit head --anchors x                  | --anchors is for audit verify",
            "audit: option twice            | audit verify --store a --store b        | option --store is given twice",
            "approver: no name              | approver token                          | say approver token NAME, approver list or approver revoke NAME",
            "approver: unknown verb         | approver mint alice                     | say approver token NAME",
            "approver: list takes no name   | approver list alice                     | say approver token NAME",
            "approver: replace on revoke    | approver revoke alice --replace         | --replace is for approver token",
            "requester: no principals       | requester token proxy-1                 | requester token needs --principals LIST",
            "requester: empty principals    | requester token proxy-1 --principals ,  | --principals names 1 to 64 principals",
            "requester: admin is a person's | requester token p --principals a --admin | unknown option '--admin'",
            "approver: bad policy           | approver token alice --policy /nonexistent/p.yaml | /nonexistent/p.yaml",
    })
    void badCommandLinesExitWithTwoAndPointToHelp(String name, String line, String message) {
        String command = line.split(" ")[0];
        Ran r = Ran.main(line.split(" "));
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("gatehouse " + command + ": "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.err().contains("Run 'gatehouse " + command + " --help' for usage."), r.err());
        assertFalse(r.err().contains("hunter2"), r.err());
    }

    @org.junit.jupiter.api.Test
    void anUnreachableStoreExitsWithThree() {
        Ran down = Ran.main("audit", "verify", "--store", "jdbc:postgresql://127.0.0.1:1/test", "--store-user", "postgres");
        assertEquals(3, down.exit(), down.err());
        assertTrue(down.err().startsWith("gatehouse audit: ") && down.err().contains("unreachable"), down.err());
    }
}
