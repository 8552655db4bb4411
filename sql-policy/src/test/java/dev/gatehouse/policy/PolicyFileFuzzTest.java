package dev.gatehouse.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
}
