package dev.gatehouse.enforce.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.sql.Dialect;

/**
 * The answers of {@link SqlScan#of}, per dialect and exact text: the proxy reads every simple query and every Parse,
 * and the driver every statement, and clients repeat their texts. An answer depends on the text alone, so one
 * cache serves every session. Bounded by the characters it holds; long texts are read every time, so a few of them
 * cannot crowd out the hot set.
 *
 * <p>Threads: any; Caffeine's maintenance runs on the calling thread, as in the policy gate's cache. A miss reads
 * outside any lock (the read is a native call, which would pin a virtual thread's carrier while others wait).
 */
final class ScanCache {
    /** As the policy gate: longer texts are read but not kept. */
    static final int MAX_CACHED_LENGTH = 16 * 1024;
    /** Characters of text held per dialect (about 16 MB), plus a per-entry allowance. */
    static final long MAX_WEIGHT = 8L * 1024 * 1024;
    private static final int ENTRY_WEIGHT = 64;

    private static final Cache<String, SqlScan> POSTGRES = newCache();
    private static final Cache<String, SqlScan> MYSQL = newCache();

    private ScanCache() {
    }

    private static Cache<String, SqlScan> newCache() {
        return Caffeine.newBuilder()
                .maximumWeight(MAX_WEIGHT)
                .weigher((String text, SqlScan scan) -> text.length() + ENTRY_WEIGHT)
                .executor(Runnable::run)
                .build();
    }

    /** Hot path: one lookup for a repeated text. */
    static SqlScan scan(String sql, Dialect dialect) {
        if (sql.length() > MAX_CACHED_LENGTH) {
            return read(sql, dialect);
        }
        Cache<String, SqlScan> cache = dialect == Dialect.POSTGRES ? POSTGRES : MYSQL;
        SqlScan hit = cache.getIfPresent(sql);
        if (hit != null) {
            return hit;
        }
        SqlScan read = read(sql, dialect);
        cache.put(sql, read);
        return read;
    }

    /** Uncached: the dialect's reader. */
    static SqlScan read(String sql, Dialect dialect) {
        return switch (dialect) {
            case POSTGRES -> PgSessionReader.read(sql);
            case MYSQL -> MysqlSessionReader.read(sql);
        };
    }
}
