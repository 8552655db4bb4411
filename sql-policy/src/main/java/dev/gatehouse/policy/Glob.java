package dev.gatehouse.policy;

/**
 * Shell-style wildcard matching for policy patterns: {@code *} matches any run of characters (also none),
 * {@code ?} exactly one, everything else itself. A char-level matcher rather than a regex, so a pattern
 * from a policy file can never be a regular expression with surprising meaning or catastrophic backtracking:
 * the greedy-star algorithm below is O(pattern x text) in the worst case. Thread-safe (stateless).
 */
public final class Glob {
    private Glob() {
    }

    /** Whether {@code pattern} matches the whole of {@code text}. */
    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        return matches(pattern, text, 0, ignoreCase);
    }

    /**
     * Whether {@code pattern} matches {@code text} from {@code from} to its end (lets callers match a suffix,
     * such as a function's bare name, without allocating a substring).
     * Hot path of rule evaluation: no allocation.
     */
    public static boolean matches(String pattern, String text, int from, boolean ignoreCase) {
        int p = 0;
        int t = from;
        int star = -1;
        int resume = 0;
        int plen = pattern.length();
        int tlen = text.length();
        while (t < tlen) {
            if (p < plen) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    star = p++;
                    resume = t;
                    continue;
                }
                if (pc == '?' || same(pc, text.charAt(t), ignoreCase)) {
                    p++;
                    t++;
                    continue;
                }
            }
            if (star < 0) {
                return false;
            }
            // Let the last star swallow one more character and retry the rest of the pattern from there.
            p = star + 1;
            t = ++resume;
        }
        while (p < plen && pattern.charAt(p) == '*') {
            p++;
        }
        return p == plen;
    }

    /** Whether any of {@code patterns} matches {@code text}. */
    public static boolean anyMatches(java.util.List<String> patterns, String text, boolean ignoreCase) {
        for (int i = 0, n = patterns.size(); i < n; i++) {
            if (matches(patterns.get(i), text, 0, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        if (!ignoreCase) {
            return false;
        }
        // Both directions: some characters only compare equal after upper-casing (as String#equalsIgnoreCase does).
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }
}
