package dev.gatehouse.sql.lineage;

import net.sf.jsqlparser.parser.CCJSqlParser;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds parse time without a thread per parse. JSqlParser's own time-out runs every parse on an executor
 * thread; instead, parses register here and one daemon platform thread ("gatehouse-parse-watchdog") sets the
 * parser's public {@code interrupted} flag once a parse is past its deadline. The generated parser consults
 * that flag in its expensive look-aheads and gives up on them, so a pathological statement (nested
 * parentheses make the complex grammar back-track for seconds) ends quickly; {@link StatementParser} then
 * reports it as unparsed. Registration is one map put and remove per parse; the map holds only parses in
 * flight, so it is bounded by the number of parsing threads. While nothing is being parsed the thread parks
 * (at most {@link #IDLE_NANOS}, in case a wake-up is missed) instead of ticking, so an idle JVM is not
 * woken a hundred times a second.
 */
final class ParseWatchdog {
    /** How often overdue parses are looked for: the effective deadline is the budget plus up to one tick. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Upper bound on an idle park: a missed wake-up delays a deadline by at most this much. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final Map<CCJSqlParser, Long> DEADLINES = new ConcurrentHashMap<>();

    /** True while the watchdog parks with nothing to watch; {@link #watch} then wakes it. */
    private static volatile boolean idle;

    private static final Thread WATCHDOG =
            Thread.ofPlatform().daemon().name("gatehouse-parse-watchdog").start(ParseWatchdog::run);

    private ParseWatchdog() {
    }

    /** Hot path: registers a parse that must finish within {@code budgetNanos}. */
    static void watch(CCJSqlParser parser, long budgetNanos) {
        DEADLINES.put(parser, System.nanoTime() + budgetNanos);
        if (idle) {
            idle = false;
            LockSupport.unpark(WATCHDOG);
        }
    }

    /** Hot path: the parse is over, whatever its outcome. */
    static void release(CCJSqlParser parser) {
        DEADLINES.remove(parser);
    }

    private static void run() {
        while (true) {
            if (DEADLINES.isEmpty()) {
                idle = true;
                // re-checked after publishing idle: a watch() that put before this read is seen here,
                // one that puts after it sees idle and unparks
                if (DEADLINES.isEmpty()) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
                idle = false;
                continue;
            }
            long now = System.nanoTime();
            for (Map.Entry<CCJSqlParser, Long> e : DEADLINES.entrySet()) {
                if (now - e.getValue() > 0) {
                    e.getKey().interrupted = true;
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }
}
