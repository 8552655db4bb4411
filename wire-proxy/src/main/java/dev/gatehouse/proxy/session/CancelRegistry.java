package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.backend.BackendKeyData;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's own cancel keys, one per session: the client only ever sees these, so a cancel must come
 * through the proxy, which routes it to the right server backend or withdraws a held statement. Shared by
 * all sessions' threads (a concurrent map).
 */
public final class CancelRegistry {
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();

    /** Issues a fresh key for {@code session}. */
    BackendKeyData register(ClientSession session) {
        while (true) {
            BackendKeyData key = new BackendKeyData(random.nextInt() & 0x7fffffff, random.nextInt());
            if (sessions.putIfAbsent(pack(key), session) == null) {
                return key;
            }
        }
    }

    void unregister(BackendKeyData key, ClientSession session) {
        if (key != null) {
            sessions.remove(pack(key), session);
        }
    }

    /** Runs on the thread of the connection that carried the CancelRequest. Unknown keys are ignored, as PostgreSQL does. */
    void cancel(int processId, int secretKey) {
        ClientSession session = sessions.get(pack(new BackendKeyData(processId, secretKey)));
        if (session != null) {
            session.cancel();
        }
    }

    private static long pack(BackendKeyData key) {
        return ((long) key.processId() << 32) | (key.secretKey() & 0xffffffffL);
    }
}
