package dev.gatehouse.approvals.hooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private static final HookConfig CONFIG = new HookConfig(8, 1, 10, Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofMillis(100), Duration.ofSeconds(2), 8, Duration.ZERO);

    @ParameterizedTest(name = "{0}: attempt {1}, Retry-After {2}s -> {3}..{4} ms")
    @CsvSource({
        "first retry waits half to all of the initial step, 1,  -1,   50,  100",
        "second retry doubles,                               2,  -1,  100,  200",
        "fifth retry doubles four times,                     5,  -1,  800, 1600",
        "the ceiling holds however many attempts,           40,  -1, 1000, 2000",
        "Retry-After longer than the step is honoured,       1,   1, 1000, 1000",
        "Retry-After is capped by the ceiling,               1, 600, 2000, 2000",
    })
    void staysWithinItsBounds(String name, int attempt, long retryAfterSeconds, long minMillis, long maxMillis) {
        try (HookDispatcher dispatcher = new HookDispatcher(List.of(), CONFIG)) {
            Duration retryAfter = retryAfterSeconds < 0 ? null : Duration.ofSeconds(retryAfterSeconds);
            for (int i = 0; i < 200; i++) {
                long millis = dispatcher.backoff(attempt, retryAfter).toMillis();
                assertTrue(millis >= minMillis && millis <= maxMillis, name + ": " + millis);
            }
        }
    }
}
