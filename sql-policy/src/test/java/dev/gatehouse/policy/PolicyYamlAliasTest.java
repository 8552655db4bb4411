package dev.gatehouse.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** YAML aliases in a policy are refused with a position, never read as text (see {@link PolicyFileFuzzTest}). */
class PolicyYamlAliasTest {

    /**
     * Found while writing PolicyFileFuzzTest (its property cannot see it: such a file loads): the streaming YAML
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
