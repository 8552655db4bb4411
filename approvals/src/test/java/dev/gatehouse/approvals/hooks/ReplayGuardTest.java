package dev.gatehouse.approvals.hooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void refusesNewKeysWhenFullOfLiveEntriesAndRecoversOnceTheyExpire() {
        ReplayGuard guard = new ReplayGuard(2, 300);
        assertTrue(guard.firstTime(List.of("a"), 1000, 1000));
        assertTrue(guard.firstTime(List.of("b"), 1000, 1000));
        assertFalse(guard.firstTime(List.of("a"), 1000, 1000), "seen before");
        assertFalse(guard.firstTime(List.of("c"), 1000, 1000), "full of entries still replayable: fail closed");
        assertTrue(guard.firstTime(List.of("c"), 1400, 1400), "a and b are past the window and forgotten");
    }

    @Test
    void recordsAllKeysOrNone() {
        ReplayGuard guard = new ReplayGuard(10, 300);
        assertTrue(guard.firstTime(List.of("sig:1", "id:1"), 1000, 1000));
        assertFalse(guard.firstTime(List.of("sig:2", "id:1"), 1000, 1000));
        assertTrue(guard.firstTime(List.of("sig:2", "id:2"), 1000, 1000), "sig:2 was not recorded by the refused call");
    }
}
