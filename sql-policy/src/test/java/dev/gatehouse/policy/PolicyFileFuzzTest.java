package dev.gatehouse.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the policy file loader ({@link Policy#parse}) on arbitrary bytes. Seeds (the
 * examples, the loader tests' files, alias and nesting bombs) and found inputs live in
 * {@code PolicyFileFuzzTestInputs/parse} and run as regression tests in every build.
 *
 * <p>Properties: any input either loads or fails with a {@link PolicyException} whose message starts with
 * {@code file:line:column:} (never another exception, so no input can crash the command line or the server
 * with a stack trace instead of an answer); a loaded policy never allows what it cannot read; loading is
 * deterministic (same bytes, same version).
 */
class PolicyFileFuzzTest {
    private static final Pattern POSITIONED = Pattern.compile("fuzz\\.yaml:[0-9]+:[0-9]+: .*", Pattern.DOTALL);

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] data) {
        Policy policy;
        try {
            policy = Policy.parse("fuzz.yaml", data);
        } catch (PolicyException e) {
            assertNotNull(e.getMessage());
            assertTrue(POSITIONED.matcher(e.getMessage()).matches(), () -> "no position in: " + e.getMessage());
            return;
        }
        assertNotEquals(Action.ALLOW, policy.defaults().unparsed());
        try {
            assertTrue(policy.version().equals(Policy.parse("fuzz.yaml", data).version()));
        } catch (PolicyException e) {
            throw new AssertionError("loaded once, refused the second time: " + e.getMessage(), e);
        }
    }

    /**
     * Found while writing this target (its property cannot see it: such a file loads): the streaming YAML
     * parser hands an alias back as the anchor's name, so {@code principals: [*boss]} loaded as a principal
     * called "boss" and the deny rule never matched alice.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "alias as a principal | ~version: 1\napprovers: {dba: [&boss alice, bob]}\nrules:\n  - id: r\n    match: {kinds: [DDL], principals: [*boss]}\n    action: deny\n~ | fuzz.yaml:5:40: rules[0].match.principals[0]: YAML aliases (*boss) are not supported: write the value out",
            "alias as an approver | ~version: 1\napprovers: {a: [&n x, *n]}\n~                   | fuzz.yaml:2:23: approvers.a[1]: YAML aliases (*n) are not supported: write the value out",
            "alias for a rule     | ~version: 1\nrules: [&r {id: x, match: {kinds: [DDL]}, action: deny}, *r]\n~ | fuzz.yaml:2:58: rules[1]: YAML aliases (*r) are not supported: write the value out",
            "alias as a key       | ~version: 1\n&k mode: enforce\n*k : shadow\n~            | fuzz.yaml:3:3: not valid YAML: Expected a field name (Scalar value in YAML), got this instead: <org.yaml.snakeyaml.events.AliasEvent(anchor=k)>",
    })
    void aliasesAreRefused(String name, String yaml, String expected) {
        PolicyException e = assertThrows(PolicyException.class,
                () -> Policy.parse("fuzz.yaml", yaml.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, e.getMessage());
    }
}
