package dev.gatehouse.approvals.checkpoint;

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
    /** A value longer than this is cut: a request is for people to read, and rows in the store are bounded. */
    static final int MAX_VALUE_CHARS = 8_192;

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
        String s = switch (v) {
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
        // The cut keeps the length, so two long values that differ only past the cut still differ in scope.
        return s.length() <= MAX_VALUE_CHARS ? s
                : s.substring(0, MAX_VALUE_CHARS) + "... (" + s.length() + " characters, sha-256 "
                + sha256(s) + ")";
    }

    private static String sha256(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
