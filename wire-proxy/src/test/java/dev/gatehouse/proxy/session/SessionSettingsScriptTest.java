package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.RawClient;
import dev.gatehouse.proxy.protocol.MessageWriter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gatehouse.proxy.session.ScriptedBackend.commandComplete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session settings the guard is given, driven with scripted frames, no database: the transaction status from
 * ReadyForQuery, application_name and client_encoding from ParameterStatus, search_path and role from the
 * probe the proxy sends after a statement that may change them (and never relays).
 */
class SessionSettingsScriptTest {

    private static byte[] parameterStatus(String name, String value) {
        return new MessageWriter('S').cstring(name).cstring(value).toBytes();
    }

    @Test
    void transactionStatusAndApplicationNameAsTheServerReportsThem() throws Exception {
        try (ScriptedSession session = new ScriptedSession()) {
            session.backend.script("BEGIN", 'T', commandComplete("BEGIN"));
            session.backend.script("SET application_name = 'nightly'", 'T', commandComplete("SET"),
                    parameterStatus("application_name", "nightly"));
            session.send(RawClient.query("BEGIN"));
            assertEquals(List.of("C:BEGIN", "Z:T"), session.next(1));
            session.send(RawClient.query("SET application_name = 'nightly'"));
            assertEquals(List.of("C:SET", "S", "Z:T"), session.next(1));
            session.send(RawClient.query("SELECT 1"));
            assertEquals(List.of("C:SELECT 0", "Z:I"), session.next(1));
            assertTrue(session.lastDecided().session().inTransaction());
            assertEquals("nightly", session.lastDecided().session().applicationName());
        }
    }

    @Test
    void aSetOfTheSearchPathIsFollowedByAProbeTheClientNeverSees() throws Exception {
        try (ScriptedSession session = new ScriptedSession()) {
            session.send(RawClient.query("SELECT 1"));
            session.next(1);
            int before = session.backend.received.size();
            session.send(RawClient.query("SET search_path TO billing"), RawClient.query("SELECT 2"));
            assertEquals(List.of("C:SELECT 0", "Z:I", "C:SELECT 0", "Z:I"), session.next(2));
            String own = OwnStatements.NAME;
            assertEquals(List.of("Q:SET search_path TO billing", "C:S:" + own,
                            "P:" + own + ":" + SessionSettings.PROBE_SQL,
                            "B:" + own + ":" + own, "E:" + own, "C:P:" + own, "C:S:" + own,
                            "S", "Q:SELECT 2"),
                    session.backend.received.subList(before, session.backend.received.size()));
            // The probe asked right after the first statement too; no probe between statements that change nothing.
            assertEquals(2, session.backend.received.stream().filter(m -> m.contains("current_setting")).count());
        }
    }

    @Test
    void aClientEncodingChangedBehindThePolicysBackEndsTheSession() throws Exception {
        try (ScriptedSession session = new ScriptedSession()) {
            assertNull(session.settings.parameterStatus("client_encoding", "UTF8"), "unchanged");
            assertNotNull(session.settings.parameterStatus("client_encoding", "LATIN1"), "changed unexpectedly");
            assertNotNull(session.settings.parameterStatus("client_encoding", "SJIS"), "an encoding that hides quotes");
            session.settings.mayChange(dev.gatehouse.enforce.session.SqlScan.of("SET client_encoding = 'LATIN1'"));
            assertNull(session.settings.parameterStatus("client_encoding", "LATIN1"), "announced by a SET");
            assertFalse(session.settings.encoding().name().equals("UTF8"));
        }
    }
}
