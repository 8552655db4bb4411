package dev.gatehouse.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code jdbc:gatehouse:<real url>} split into the real driver's URL and Properties, with every
 * {@code gatehouse.*} setting removed from both (the real driver never sees them), and the settings.
 * Scanned by hand: query strings are {@code key=value} pairs joined by {@code &}, for pgjdbc and Connector/J alike.
 *
 * <p>Threads: Immutable; parsed on the thread that connects.
 *
 * @param backend    which database and real driver
 * @param realUrl    the URL for the real driver
 * @param realInfo   the Properties for the real driver (a copy without gatehouse settings)
 * @param settings   the gatehouse settings, Properties overriding URL parameters
 */
public record ConnectionUrl(Backend backend, String realUrl, Properties realInfo, Map<String, String> settings) {

    public static final String PREFIX = "jdbc:gatehouse:";

    public static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** @return null when the URL is not a Gatehouse URL (the JDBC contract for {@code Driver#connect}) */
    public static ConnectionUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            return null;
        }
        String rest = url.substring(PREFIX.length());
        Backend backend = Backend.forSubprotocol(rest);
        if (backend == null) {
            throw new SQLException("gatehouse: unsupported database in " + PREFIX + "...; use "
                    + PREFIX + "postgresql://, " + PREFIX + "mysql:// or " + PREFIX + "mariadb://",
                    GatehouseSqlState.BAD_SETTING);
        }
        Map<String, String> settings = new HashMap<>();
        String realUrl = backend.realPrefix() + stripSettings(rest.substring(backend.subprotocol().length()), settings);
        Properties realInfo = new Properties();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                if (key.startsWith(DriverSettings.PREFIX)) {
                    settings.put(key, info.getProperty(key));
                } else {
                    realInfo.setProperty(key, info.getProperty(key));
                }
            }
        }
        return new ConnectionUrl(backend, realUrl, realInfo, settings);
    }

    /** Removes {@code gatehouse.*} query parameters from {@code tail} into {@code settings}; keeps the rest verbatim. */
    private static String stripSettings(String tail, Map<String, String> settings) {
        int q = tail.indexOf('?');
        if (q < 0) {
            return tail;
        }
        StringBuilder kept = new StringBuilder(tail.length()).append(tail, 0, q);
        char sep = '?';
        int start = q + 1;
        while (start <= tail.length()) {
            int end = tail.indexOf('&', start);
            if (end < 0) {
                end = tail.length();
            }
            if (end > start) {
                String pair = tail.substring(start, end);
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.startsWith(DriverSettings.PREFIX)) {
                    settings.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } else {
                    kept.append(sep).append(pair);
                    sep = '&';
                }
            }
            start = end + 1;
        }
        return kept.toString();
    }

    /** The real URL without its query string: safe for logs and audit records (query strings can hold passwords). */
    public String redactedRealUrl() {
        int q = realUrl.indexOf('?');
        return q < 0 ? realUrl : realUrl.substring(0, q);
    }
}
