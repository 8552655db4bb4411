package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.guard.BoundValueText;
import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.proxy.guard.BoundValue;
import dev.gatehouse.proxy.protocol.frontend.FunctionCall;
import dev.gatehouse.proxy.protocol.frontend.ParameterValues;
import dev.gatehouse.enforce.session.SqlScan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes what is about to run for the guard: the text, the bound values, the body of every prepared
 * statement the text EXECUTEs as the server holds it, and the session. Threads: the session's client reader.
 */
final class Executions {
    private final Upstream upstream;
    private final PreparedStatements prepared;
    private final SessionSettings settings;
    private final SessionRows rows;

    Executions(Upstream upstream, PreparedStatements prepared, SessionSettings settings, SessionRows rows) {
        this.upstream = upstream;
        this.prepared = prepared;
        this.settings = settings;
        this.rows = rows;
    }

    /**
     * Hot path: allocates only for the bodies of a text that EXECUTEs prepared statements.
     *
     * @param portal the portal an Execute runs (what an estimate binds), or null for a simple Query
     */
    Execution of(String sql, List<BoundValue> values, SqlScan scan, Origin origin, Portals.Portal portal)
            throws IOException {
        rows.deciding(sql, portal);
        List<String> bodies = List.of();
        if (!scan.executed().isEmpty()) {
            upstream.awaitNamedChanges();
            bodies = prepared.bodies(scan);
            if (bodies.contains(null) && upstream.tracker.outstanding() > 0) {
                // An answer still on its way may yet settle the name: wait for the server, then look again.
                upstream.awaitAnswers();
                bodies = prepared.bodies(scan);
            }
        }
        return new Execution(sql, values.isEmpty() ? List.of() : new BoundValueText(values), List.of(), bodies,
                bodies.isEmpty() ? List.of() : scan.executed(), origin, 0, settings.state(), false, rows);
    }

    Execution functionCall(FunctionCall call) {
        rows.deciding(null, null); // nothing to explain
        List<BoundValue> values = boundValues(call.arguments(), null);
        return new Execution("FUNCTION CALL oid=" + call.functionOid(), values.isEmpty() ? List.of()
                : new BoundValueText(values), List.of(), List.of(), List.of(), Origin.FUNCTION_CALL,
                call.functionOid(), settings.state(), false, rows);
    }

    /** For the early classification of a Parse: the text alone. */
    Execution parsed(String sql) {
        return Execution.of(sql, List.of(), Origin.EXTENDED_EXECUTE, settings.state());
    }

    /** The values as the guard sees them; {@code types} are the Parse's declared types, or null. */
    static List<BoundValue> boundValues(ParameterValues parameters, int[] types) {
        byte[][] raw = parameters.values();
        List<BoundValue> out = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int type = types != null && i < types.length ? types[i] : 0;
            out.add(new BoundValue(type, parameters.formatOf(i), raw[i], parameters.charset()));
        }
        return out;
    }
}
