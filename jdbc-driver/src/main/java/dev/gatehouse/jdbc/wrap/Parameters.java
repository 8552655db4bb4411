package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.guard.Execution.NamedParameter;
import dev.gatehouse.enforce.guard.Execution.UnreadableParameter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values bound to one prepared or callable statement, captured as they are set so the guard (and an
 * approval request) sees exactly what runs. Streams, readers and LOBs are not read (that would consume them):
 * they appear as {@link UnreadableParameter}.
 *
 * <p>Threads: the statement's thread.
 */
final class Parameters {
    /** Above PostgreSQL's and MySQL's own limits (65535): a larger index is a bug, never a bigger array. */
    static final int MAX_INDEX = 65_536;
    private static final Object[] NONE = new Object[0];

    private Object[] values = NONE;
    private int count;
    private List<NamedParameter> named;
    /** The last copy handed out, reused until a value changes: re-executing with the same values allocates nothing. */
    private List<Object> snapshot;

    /** Hot path: a store into an array that grows rarely. */
    void set(int index, Object value) throws SQLException {
        if (index < 1 || index > MAX_INDEX) {
            throw new SQLException("gatehouse: parameter index " + index + " out of range", "22023");
        }
        if (index > values.length) {
            values = Arrays.copyOf(values, Math.max(index, Math.min(MAX_INDEX, Math.max(8, values.length * 2))));
        }
        values[index - 1] = value;
        snapshot = null;
        if (index > count) {
            count = index;
        }
    }

    void setNamed(String name, Object value) {
        if (named == null) {
            named = new ArrayList<>();
        }
        for (int i = 0; i < named.size(); i++) {
            if (named.get(i).name().equalsIgnoreCase(name)) {
                named.set(i, new NamedParameter(name, value));
                return;
            }
        }
        named.add(new NamedParameter(name, value));
    }

    void clear() {
        Arrays.fill(values, 0, count, null);
        count = 0;
        snapshot = null;
        named = null;
    }

    /** Hot path: an immutable copy for the guard (it may keep it in an approval request), made once per change. */
    List<Object> positional() {
        if (count == 0) {
            return List.of();
        }
        List<Object> s = snapshot;
        if (s == null) {
            // Not List.of: SQL NULL parameters are null values.
            s = Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(values, count)));
            snapshot = s;
        }
        return s;
    }

    List<NamedParameter> named() {
        return named == null ? List.of() : List.copyOf(named);
    }

    static UnreadableParameter unreadable(String type, long length) {
        return new UnreadableParameter(type, length);
    }
}
