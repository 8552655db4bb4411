package dev.gatehouse.enforce.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Bound parameter values as the text approvers see and an approval's scope is hashed over. Each value must
 * render the same way every time it is bound (an array's identity hash would make every retry a new scope),
 * so arrays are rendered by content: bytes as hex, others element by element.
 *
 * <p>Threads: stateless. Runs only for held, denied or audited submissions, never on the allow path.
 */
public final class ParameterText {
    private ParameterText() {
    }

    public static List<String> of(List<?> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(of(v));
        }
        return out;
    }

    public static String of(Object v) {
        if (v == null) {
            return null;
        }
        // Whole, at any size: the request shows and scopes exactly what will run (the front end bounds a message).
        return switch (v) {
            case byte[] bytes -> "\\x" + HexFormat.of().formatHex(bytes);
            case Object[] array -> Arrays.deepToString(array);
            case int[] a -> Arrays.toString(a);
            case long[] a -> Arrays.toString(a);
            case double[] a -> Arrays.toString(a);
            case float[] a -> Arrays.toString(a);
            case short[] a -> Arrays.toString(a);
            case boolean[] a -> Arrays.toString(a);
            case char[] a -> new String(a);
            default -> String.valueOf(v);
        };
    }
}
