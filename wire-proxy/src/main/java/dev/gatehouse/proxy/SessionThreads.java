package dev.gatehouse.proxy;

/**
 * Which threads run a session's two loops (client reader, server relay). Both block on their sockets.
 *
 * <ul>
 *   <li>{@link #PLATFORM} (default): a blocked read waits in the kernel and the wake-up goes straight to the
 *       reading thread. Measured cheaper per message at the connection counts a database takes (JFR of the
 *       virtual variant: most proxy CPU in the ForkJoinPool scheduler, i.e. poller hand-off, unpark and
 *       carrier spin per socket wait). Costs one platform thread per direction per session, bounded by
 *       {@link Limits#maxConnections()}.</li>
 *   <li>{@link #VIRTUAL}: cheap to hold many idle sessions, at that scheduling cost per message.</li>
 * </ul>
 */
public enum SessionThreads {
    PLATFORM, VIRTUAL;

    /** A builder for one session's threads, named for thread dumps. Daemon: a session never keeps a JVM up. */
    public Thread.Builder builder(String name) {
        return switch (this) {
            case PLATFORM -> Thread.ofPlatform().daemon(true).name(name);
            case VIRTUAL -> Thread.ofVirtual().name(name);
        };
    }
}
