package dev.gatehouse.enforce.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings a connection makes when it starts (a StartupMessage's parameters, or the ones a JDBC URL
 * makes the real driver send), read as PostgreSQL 15 reads them ({@code pg_split_opts},
 * {@code process_postgres_switches}, {@code process_startup_options}), and the SET statements they amount to.
 *
 * <p>First the switches in {@code options}: split at white space a backslash does not escape (the backslash
 * escapes any next character), each {@code -c name=value}, {@code -cname=value} or {@code --name=value}, with
 * '-' in a name read as '_'. Then every other parameter but user, database, options, replication and the
 * protocol's {@code _pq_.} ones: the server applies them as settings after the options. Any other switch (the
 * server's one-letter ones such as {@code -B} or {@code -S}) is not read: {@link #read} refuses it, failing
 * closed. Setting names are case-insensitive to the server and given here in lower case (ASCII).
 *
 * <p>MySQL has no startup settings; Connector/J's {@code sessionVariables} are read by
 * {@link #mysqlSessionVariables} into the {@code SET SESSION} statements it runs.
 *
 * <p>Threads: pure functions, on the connecting thread.
 */
public final class StartupSettings {

    /** One setting, in the order the server applies them. */
    public record Setting(String name, String value) {
    }

    /** The options could not be read as the server reads them. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * Settings that only shape how values are written and read back, which drivers send on every connection
     * (pgjdbc: DateStyle, TimeZone, extra_float_digits; libpq: client_encoding): not decided as statements.
     * client_encoding is checked on its own (an unsafe encoding refuses the connection).
     */
    private static final List<String> FORMATTING = List.of("application_name", "client_encoding", "datestyle",
            "timezone", "extra_float_digits", "intervalstyle");
    /** Settings whose value is a list of identifiers (GUC_LIST_QUOTE): SET quotes each item it is given. */
    private static final List<String> IDENTIFIER_LISTS = List.of("search_path", "temp_tablespaces",
            "session_preload_libraries", "local_preload_libraries", "shared_preload_libraries");
    private static final List<String> NOT_SETTINGS = List.of("user", "database", "options", "replication");

    private StartupSettings() {
    }

    /** Every setting the startup parameters make, options first, then the other parameters by name. */
    public static List<Setting> read(Map<String, String> parameters) throws Unreadable {
        List<Setting> settings = new ArrayList<>();
        String options = parameters.get("options");
        if (options != null) {
            List<String> words = words(options);
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                String assignment;
                if (word.startsWith("--")) {
                    assignment = word.substring(2);
                } else if (word.equals("-c") && i + 1 < words.size()) {
                    assignment = words.get(++i);
                } else if (word.startsWith("-c") && word.length() > 2) {
                    assignment = word.substring(2);
                } else {
                    throw new Unreadable("Gatehouse reads startup options of the forms -c name=value and"
                            + " --name=value only, not \"" + word + "\"");
                }
                int equals = assignment.indexOf('=');
                if (equals <= 0) {
                    throw new Unreadable("the startup option \"" + word + "\" gives no value");
                }
                settings.add(new Setting(name(assignment.substring(0, equals)), assignment.substring(equals + 1)));
            }
        }
        for (Map.Entry<String, String> p : new TreeMap<>(parameters).entrySet()) {
            if (!NOT_SETTINGS.contains(p.getKey()) && !p.getKey().startsWith("_pq_.")) {
                settings.add(new Setting(lowerAscii(p.getKey()), p.getValue()));
            }
        }
        return settings;
    }

    /**
     * The SET statements the settings amount to, one per line, the formatting ones left out; empty when none
     * is left. Each name is quoted and each value a string literal, as the server takes a startup value
     * verbatim; a list of identifiers is split as the server splits it, one quoted identifier per item.
     */
    public static String asSql(List<Setting> settings) throws Unreadable {
        StringBuilder sql = new StringBuilder();
        for (Setting s : settings) {
            if (FORMATTING.contains(s.name())) {
                continue;
            }
            if (!sql.isEmpty()) {
                sql.append(";\n");
            }
            sql.append("SET ").append(quoted(s.name(), '"')).append(" = ");
            if (IDENTIFIER_LISTS.contains(s.name()) && !s.value().isBlank()) {
                List<String> items = identifiers(s.value());
                for (int i = 0; i < items.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append(quoted(items.get(i), '"'));
                }
            } else {
                sql.append(quoted(s.value(), '\''));
            }
        }
        return sql.toString();
    }

    /** {@code pg_split_opts}: words at unescaped white space; a backslash escapes the next character. */
    static List<String> words(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean escaped = false;
        boolean inWord = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (!escaped && isSpace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (!escaped && c == '\\') {
                escaped = true;
                inWord = true;
            } else {
                escaped = false;
                inWord = true;
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * {@code SplitIdentifierString} with ',': items separated by commas, blanks around them ignored, a
     * double-quoted item verbatim (doubled quotes are one), an unquoted one with its ASCII letters folded.
     */
    static List<String> identifiers(String list) throws Unreadable {
        List<String> items = new ArrayList<>();
        int i = skipBlanks(list, 0);
        while (i < list.length()) {
            StringBuilder item = new StringBuilder();
            if (list.charAt(i) == '"') {
                i++;
                while (true) {
                    int quote = list.indexOf('"', i);
                    if (quote < 0) {
                        throw new Unreadable("the list \"" + list + "\" has a quote that does not close");
                    }
                    item.append(list, i, quote);
                    i = quote + 1;
                    if (i < list.length() && list.charAt(i) == '"') {
                        item.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                items.add(item.toString());
            } else {
                int start = i;
                while (i < list.length() && list.charAt(i) != ',' && !isBlank(list.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw new Unreadable("the list \"" + list + "\" has an empty item");
                }
                items.add(lowerAscii(list.substring(start, i)));
            }
            i = skipBlanks(list, i);
            if (i < list.length()) {
                if (list.charAt(i) != ',') {
                    throw new Unreadable("the list \"" + list + "\" is not a list of names");
                }
                i = skipBlanks(list, i + 1);
                if (i == list.length()) {
                    throw new Unreadable("the list \"" + list + "\" ends with a comma");
                }
            }
        }
        return items;
    }

    /** {@code ParseLongOption}: '-' in a setting's name is '_'; names are case-insensitive. */
    private static String name(String raw) {
        return lowerAscii(raw.replace('-', '_'));
    }

    private static String lowerAscii(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return b == null ? s : b.toString();
    }

    private static String quoted(String text, char quote) {
        StringBuilder b = new StringBuilder(text.length() + 2).append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c);
            if (c == quote) {
                b.append(c);
            }
        }
        return b.append(quote).toString();
    }

    /** C's isspace in the server's C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** The scanner's white space ({@code scanner_isspace}): no vertical tab. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * MySQL: Connector/J's {@code sessionVariables}: {@code name=value} pairs split at commas outside quotes, each
     * run by it as {@code SET SESSION name=value}; one statement per line, empty when none.
     */
    public static String mysqlSessionVariables(String value) {
        StringBuilder sql = new StringBuilder();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        for (int i = 0; value != null && i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ',';
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == ',') {
                String p = part.toString().strip();
                if (!p.isEmpty()) {
                    sql.append(sql.isEmpty() ? "" : ";\n").append("SET SESSION ").append(p);
                }
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        return sql.toString();
    }
}
