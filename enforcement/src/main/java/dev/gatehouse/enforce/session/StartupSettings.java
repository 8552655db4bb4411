package dev.gatehouse.enforce.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings a client gives when it connects rather than with SQL (PostgreSQL startup parameters and the
 * {@code options} parameter's {@code -c name=value}, pgjdbc's URL {@code options} and {@code currentSchema},
 * Connector/J's {@code sessionVariables}), read as the server reads them and written as the {@code SET}
 * statements they are equivalent to, so the policy decides and the audit records them like any other
 * statement. {@code options=-c role=admin} is {@code SET role TO 'admin'}.
 *
 * <p>Fail closed: an {@code options} word that is not {@code -c name=value} or {@code --name=value} (the
 * server accepts other command-line switches there, such as {@code -f s} that turns planner methods off) is
 * not understood: {@link #of} throws, and the front end refuses the connection.
 *
 * <p>Threads: stateless; runs on the connecting thread.
 */
public final class StartupSettings {
    /** Startup parameters that are not settings: who and where, and the protocol's own. */
    private static final List<String> NOT_SETTINGS = List.of("user", "database", "replication", "options");

    /** One setting, by the name the client gave (the server matches names case-insensitively). */
    public record Setting(String name, String value) {
    }

    /** An {@code options} word the server would take but Gatehouse does not read. */
    public static final class UnreadableOptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnreadableOptionException(String message) {
            super(message);
        }
    }

    private StartupSettings() {
    }

    /**
     * PostgreSQL: the settings of a startup packet's parameters, {@code options} expanded in place.
     *
     * @throws UnreadableOptionException for an {@code options} word other than a setting
     */
    public static List<Setting> of(Map<String, String> startupParameters) {
        List<Setting> out = new ArrayList<>();
        for (Map.Entry<String, String> p : startupParameters.entrySet()) {
            String name = p.getKey();
            if (name.equals("options")) {
                out.addAll(options(p.getValue()));
            } else if (!NOT_SETTINGS.contains(name) && !name.startsWith("_pq_.")) {
                out.add(new Setting(name, p.getValue()));
            }
        }
        return out;
    }

    /**
     * The settings in PostgreSQL's {@code options} value: words split at unescaped white space, a backslash
     * taking the next character literally; then {@code -c name=value} (or {@code -cname=value}) and
     * {@code --name=value}, with {@code -} in a name read as {@code _}, as the server reads them.
     *
     * @throws UnreadableOptionException for any other word
     */
    public static List<Setting> options(String value) {
        List<String> words = words(value == null ? "" : value);
        List<Setting> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String assignment;
            if (w.equals("-c")) {
                if (i + 1 >= words.size()) {
                    throw new UnreadableOptionException("startup option -c without a setting");
                }
                assignment = words.get(++i);
            } else if (w.startsWith("-c")) {
                assignment = w.substring(2);
            } else if (w.startsWith("--")) {
                assignment = w.substring(2);
            } else {
                throw new UnreadableOptionException("startup option \"" + w + "\" is not a -c name=value setting,"
                        + " and Gatehouse reads no other");
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new UnreadableOptionException("startup option \"" + w + "\" gives no value");
            }
            out.add(new Setting(assignment.substring(0, eq).replace('-', '_'), assignment.substring(eq + 1)));
        }
        return out;
    }

    /**
     * MySQL: Connector/J's {@code sessionVariables}: {@code name=value} pairs split at commas outside quotes,
     * each run by the driver as {@code SET SESSION name=value}.
     */
    public static List<String> mysqlSessionVariables(String value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        StringBuilder part = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == ',') {
                addPart(out, part);
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        addPart(out, part);
        return out;
    }

    private static void addPart(List<String> out, StringBuilder part) {
        String p = part.toString().trim();
        if (!p.isEmpty()) {
            out.add("SET SESSION " + p);
        }
    }

    /**
     * PostgreSQL: the statement text the policy decides for {@code settings}, one {@code SET} each in order, or
     * null for none: the name as a quoted identifier, the value as an escape string constant, so the text reads
     * the same whatever {@code standard_conforming_strings} is.
     */
    public static String sql(List<Setting> settings) {
        if (settings.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Setting s : settings) {
            if (!b.isEmpty()) {
                b.append(";\n");
            }
            b.append("SET \"").append(s.name().replace("\"", "\"\"")).append("\" TO E'");
            for (int i = 0; i < s.value().length(); i++) {
                char c = s.value().charAt(i);
                if (c == '\'' || c == '\\') {
                    b.append(c);
                }
                b.append(c);
            }
            b.append('\'');
        }
        return b.toString();
    }

    /** PostgreSQL's split of {@code options}: white space separates, a backslash escapes the next character. */
    private static List<String> words(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                w.append(value.charAt(++i));
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
