package dev.gatehouse.approvals.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

    @Test
    void slackSchemeMatchesSlacksPublishedWorkedExample() {
        // The example in Slack's "Verifying requests from Slack" documentation.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assertEquals("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                HmacSha256.slackV0(Secret.of("8f742231b10e8888abcd99yyyzzz85a5"), "1531420618",
                        body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void gatehouseSchemeSignsTimestampDotBody() {
        String body = "{\"type\":\"request.created\"}";
        assertEquals(TestSigning.gatehouse("s3cret", "1700000000", body),
                HmacSha256.gatehouseV1(Secret.of("s3cret"), 1_700_000_000L, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void comparisonIsExact() {
        assertTrue(HmacSha256.sameSignature("v1=abc", "v1=abc"));
        assertFalse(HmacSha256.sameSignature("v1=abc", "v1=abd"));
        assertFalse(HmacSha256.sameSignature("v1=abc", "v1=ab"));
    }

    @Test
    void secretNeverShowsItsValue() {
        Secret secret = Secret.of("hunter2-very-secret");
        assertFalse(secret.toString().contains("hunter2"));
        HookTarget target = new HookTarget(HookTarget.Kind.GENERIC,
                java.net.URI.create("https://hooks.example.com/T000/B000/XXXXtoken"), secret, null);
        assertFalse(target.toString().contains("hunter2"));
        assertFalse(target.toString().contains("XXXXtoken"), "the URL path can be a credential");
        assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
    }
}
