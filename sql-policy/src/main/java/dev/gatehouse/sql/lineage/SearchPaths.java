package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;

import java.util.List;

/** How PostgreSQL resolves an unqualified table name through a search path. Stateless, any thread. */
final class SearchPaths {
    private SearchPaths() {
    }

    /**
     * {@code pg_catalog} first for {@code pg_*} names unless the path places it (the server searches it first
     * implicitly); else the first path schema whose catalog entry has the table; else the first path schema other
     * than {@code $user} (the session user is unknown here), {@code pg_catalog} and {@code pg_temp}; else
     * {@code public}.
     */
    static TableName resolve(Catalog catalog, List<String> path, String name) {
        boolean systemName = name.startsWith("pg_");
        if (systemName && !path.contains("pg_catalog")) {
            return new TableName("pg_catalog", name);
        }
        String fallback = null;
        for (int i = 0, size = path.size(); i < size; i++) {
            String s = path.get(i);
            if (s.equals("$user")) {
                continue;
            }
            TableName candidate = new TableName(s, name);
            if (catalog.find(candidate).isPresent()) {
                return candidate;
            }
            if (fallback == null && !s.equals("pg_catalog") && !s.equals("pg_temp")) {
                fallback = s;
            }
        }
        if (systemName) {
            return new TableName("pg_catalog", name);
        }
        return new TableName(fallback != null ? fallback : "public", name);
    }
}
