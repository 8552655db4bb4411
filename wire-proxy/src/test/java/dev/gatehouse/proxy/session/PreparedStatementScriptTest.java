package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.gatehouse.proxy.session.ScriptedBackend.commandComplete;
import static dev.gatehouse.proxy.session.ScriptedBackend.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's prepared statements driven with scripted frames, no database: the client's messages in, the
 * server's answers as scripted, and the proxy's picture of the namespace (and what it let through) checked after
 * each step. The same drift cases run against PostgreSQL in {@code PreparedStatementDriftTest}.
 */
class PreparedStatementScriptTest {
    ScriptedSession session;
    ScriptedBackend backend;

    @BeforeEach
    void open() throws Exception {
        session = new ScriptedSession();
        backend = session.backend;
        backend.script("PREPARE p AS SELECT 1", 'I', commandComplete("PREPARE"));
        session.send(RawClient.query("PREPARE p AS SELECT 1"));
        assertEquals(List.of("C:PREPARE", "Z:I"), session.next(1));
        assertEquals("SELECT 1", session.handler.statementText("p"));
    }

    @AfterEach
    void close() throws Exception {
        session.close();
    }

    @Test
    void protocolCloseOfASqlLevelStatementThenAParseOfItsName() throws Exception {
        session.send(RawClient.close('S', "p"), RawClient.sync());
        assertEquals(List.of("3", "Z:I"), session.next(1));
        assertNull(session.handler.statementText("p"));
        session.send(RawClient.parse("p", "DELETE FROM orders"), RawClient.sync());
        assertEquals(List.of("1", "Z:I"), session.next(1));
        session.send(RawClient.query("EXECUTE p"));
        assertEquals(List.of("E:42501", "Z:I"), session.next(1));
        assertEquals(List.of("DELETE FROM orders"), session.lastDecided().preparedBodies());
        assertFalse(backend.received.contains("Q:EXECUTE p"), backend.received.toString());
    }

    @Test
    void deallocateAndPrepareCountInAGroupThatFails() throws Exception {
        String text = "BEGIN; DEALLOCATE p; PREPARE p AS DELETE FROM orders; SELECT 1/0";
        backend.script(text, 'E', commandComplete("BEGIN"), commandComplete("DEALLOCATE"), commandComplete("PREPARE"),
                error("22012", "division by zero"));
        session.send(RawClient.query(text));
        assertEquals(List.of("C:BEGIN", "C:DEALLOCATE", "C:PREPARE", "E:22012", "Z:E"), session.next(1));
        assertEquals("DELETE FROM orders", session.handler.statementText("p"), "neither is transactional");
    }

    @Test
    void aPrepareThatFailsIsForgottenAndTheNameKeepsItsBody() throws Exception {
        String text = "DEALLOCATE p; PREPARE p AS DELETE FROM orders";
        backend.script(text, 'I', commandComplete("DEALLOCATE"), error("42601", "syntax error"));
        session.send(RawClient.query(text));
        assertEquals(List.of("C:DEALLOCATE", "E:42601", "Z:I"), session.next(1));
        assertNull(session.handler.statementText("p"), "deallocated; the PREPARE did not run");
    }

    @Test
    void changesSkippedAfterAnErrorAreUndoneLatestFirst() throws Exception {
        backend.script("SELECT 1/0", 'I', error("22012", "division by zero"));
        session.send(RawClient.parse("", "SELECT 1/0"), RawClient.bind("", ""), RawClient.execute(""),
                RawClient.close('S', "p"), RawClient.parse("q", "SELECT 2"), RawClient.parse("p", "SELECT 3"),
                RawClient.sync());
        assertEquals(List.of("1", "2", "E:22012", "Z:I"), session.next(1));
        assertEquals("SELECT 1", session.handler.statementText("p"), "the skipped Close and Parse are undone");
        assertNull(session.handler.statementText("q"));
        assertEquals("SELECT 1/0", session.handler.statementText(""));
    }

    @Test
    void aChangeThatRanThoughTheProxyExpectedARefusalIsApplied() throws Exception {
        // The scripted server holds no protocol statement "p" (as when a function deallocated it behind the
        // proxy's back): the Parse the proxy expected to fail as a duplicate runs, and the proxy follows.
        session.send(RawClient.parse("p", "DELETE FROM orders"), RawClient.sync());
        assertEquals(List.of("1", "Z:I"), session.next(1));
        assertEquals("DELETE FROM orders", session.handler.statementText("p"));
    }

    @Test
    void aDeallocationTheProxyDidNotSendForgetsEveryName() throws Exception {
        backend.script("SELECT deallocate_everything()", 'I', commandComplete("DEALLOCATE ALL"));
        session.send(RawClient.query("SELECT deallocate_everything()"));
        assertEquals(List.of("C:DEALLOCATE ALL", "Z:I"), session.next(1));
        assertNull(session.handler.statementText("p"));
    }

    @Test
    void namesAreComparedExactly() throws Exception {
        backend.script("PREPARE Ä AS DELETE FROM orders", 'I', commandComplete("PREPARE"));
        backend.script("PREPARE ä AS SELECT 4", 'I', commandComplete("PREPARE"));
        backend.script("PREPARE \"P\" AS SELECT 5", 'I', commandComplete("PREPARE"));
        session.send(RawClient.query("PREPARE Ä AS DELETE FROM orders"), RawClient.query("PREPARE ä AS SELECT 4"),
                RawClient.query("PREPARE \"P\" AS SELECT 5"));
        session.next(3);
        assertEquals("DELETE FROM orders", session.handler.statementText("Ä"));
        assertEquals("SELECT 4", session.handler.statementText("ä"));
        assertEquals("SELECT 5", session.handler.statementText("P"));
        assertEquals("SELECT 1", session.handler.statementText("p"));
        session.send(RawClient.query("EXECUTE Ä"));
        assertEquals(List.of("E:42501", "Z:I"), session.next(1));
    }

    @Test
    void aLaterGroupLooksANameUpOnlyAfterTheAnswerItDependsOn() throws Exception {
        backend.parseFails("SELECT 'not prepared'");
        backend.delaySyncs(300);
        // Pipelined: the second group is sent before the first is answered. Its Bind must not be decided on the
        // text of a Parse the server is about to refuse.
        session.send(RawClient.parse("s", "SELECT 'not prepared'"), RawClient.sync(),
                RawClient.bind("", "s"), RawClient.execute(""), RawClient.sync());
        assertEquals(List.of("E:42601", "Z:I", "E:42501", "Z:I"), session.next(2));
        assertTrue(session.decided.stream().noneMatch(e -> e.sql().contains("not prepared")), session.decided.toString());
        assertFalse(backend.received.contains("B::s"), backend.received.toString());
    }

    @Test
    void unnamedStatementsPipelineWithoutWaitingForAnswers() throws Exception {
        backend.delaySyncs(2_000);
        long start = System.nanoTime();
        session.send(RawClient.parse("", "SELECT 1"), RawClient.bind("", ""), RawClient.execute(""), RawClient.sync(),
                RawClient.parse("", "SELECT 2"), RawClient.bind("", ""), RawClient.execute(""), RawClient.sync());
        long sentMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(sentMillis < 1_500, "the second group waited " + sentMillis + " ms for the first");
        assertEquals(List.of("1", "2", "C:SELECT 0", "Z:I", "1", "2", "C:SELECT 0", "Z:I"), session.next(2));
    }

    @Test
    void aRefusalCutsTheBatchAtTheRefusedBindAndDiscardsToSync() throws Exception {
        session.send(RawClient.parse("", "DELETE FROM orders"), RawClient.bind("", ""), RawClient.execute(""),
                RawClient.parse("", "SELECT 1"), RawClient.bind("", ""), RawClient.execute(""), RawClient.sync());
        assertEquals(List.of("1", "E:42501", "Z:I"), session.next(1));
        List<String> forwarded = backend.received.subList(backend.received.indexOf("Z") + 1, backend.received.size());
        assertEquals(List.of("P::DELETE FROM orders", "P:gatehouse_refusal", "S"), Arrays.asList(
                withoutProbes(forwarded).stream().map(m -> m.startsWith("P:gatehouse_refusal") ? "P:gatehouse_refusal" : m)
                        .filter(m -> !m.startsWith("Q:")).toArray(String[]::new)));
    }

    @Test
    void theFirstStatementAsksTheServerForSearchPathAndRole() throws Exception {
        assertEquals(List.of("C:S:" + OwnStatements.NAME, "P:" + OwnStatements.NAME + ":" + SessionSettings.PROBE_SQL),
                backend.received.subList(0, 2));
        assertEquals(ScriptedBackend.SEARCH_PATH, session.lastDecided().session().searchPath());
    }

    /** The messages without the proxy's probes of the session (its own statement and the Sync after it). */
    private static List<String> withoutProbes(List<String> messages) {
        List<String> out = new java.util.ArrayList<>();
        boolean probe = false;
        for (String m : messages) {
            if (m.contains(OwnStatements.NAME)) {
                probe = true;
            } else if (probe && m.equals("S")) {
                probe = false;
                continue;
            }
            if (!probe) {
                out.add(m);
            }
        }
        return out;
    }
}
