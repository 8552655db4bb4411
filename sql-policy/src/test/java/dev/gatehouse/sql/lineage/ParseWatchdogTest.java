package dev.gatehouse.sql.lineage;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watchdog parks while nothing is parsed; a new parse must wake it well before its idle bound. */
class ParseWatchdogTest {

    @Test
    void anOverdueParseIsFlaggedAfterTheWatchdogWasIdle() throws InterruptedException {
        CCJSqlParser earlier = new CCJSqlParser(new StringProvider("SELECT 0"));
        ParseWatchdog.watch(earlier, TimeUnit.SECONDS.toNanos(30)); // starts the watchdog if this is the first use
        ParseWatchdog.release(earlier);
        Thread.sleep(100); // nothing registered: the watchdog is parked for up to five seconds now
        CCJSqlParser parser = new CCJSqlParser(new StringProvider("SELECT 1"));
        ParseWatchdog.watch(parser, TimeUnit.MILLISECONDS.toNanos(1));
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!parser.interrupted && System.nanoTime() - giveUp < 0) {
                Thread.sleep(5);
            }
            assertTrue(parser.interrupted, "the idle watchdog was not woken by a new parse");
        } finally {
            ParseWatchdog.release(parser);
        }
    }

    @Test
    void aParseWithinItsBudgetIsLeftAlone() throws InterruptedException {
        CCJSqlParser parser = new CCJSqlParser(new StringProvider("SELECT 1"));
        ParseWatchdog.watch(parser, TimeUnit.SECONDS.toNanos(30));
        try {
            Thread.sleep(100);
            assertFalse(parser.interrupted);
        } finally {
            ParseWatchdog.release(parser);
        }
    }
}
