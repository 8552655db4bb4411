package dev.gatehouse.proxy.protocol.backend;

/** 'Z' ReadyForQuery: the proxy only reads its transaction status ('I' idle, 'T' in block, 'E' failed block). */
public final class ReadyForQuery {
    public static final byte IDLE = 'I';

    private ReadyForQuery() {
    }

    public static boolean inTransaction(byte status) {
        return status != IDLE;
    }
}
