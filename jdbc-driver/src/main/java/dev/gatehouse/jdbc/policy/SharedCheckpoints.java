package dev.gatehouse.jdbc.policy;

import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.requester.RemoteRequester;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.checkpoint.LazyApprovals;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.jdbc.GatehouseSqlState;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The checkpoints of this JVM: one per (policy file and content, approvals store or service), shared by every connection, so the
 * decision cache is warm for all of them and each store is opened once. The policy file is read at every
 * connect: an edited policy gives new connections a new checkpoint, while open connections keep deciding
 * with the policy they started with. Approvals services are shared per (store, approvers, public URL, audit)
 * and closed when the JVM shuts down.
 *
 * <p>Bounded: at most {@link #MAX_SERVICES} approvals services (each holds a store pool and a sweeper
 * thread); one more distinct store or approvers list is refused rather than evicting one in use.
 *
 * <p>Threads: connecting threads, under one ReentrantLock (reading the policy file blocks); the shutdown hook.
 */
final class SharedCheckpoints {
    static final int MAX_SERVICES = 16;

    private record ServiceKey(String storeUrl, String storeUser, String requesterToken,
                              Map<String, List<String>> approvers, String publicUrl, AuditSettings audit) {
    }

    /** A front end's way to the approvals, and what closes it at shutdown. */
    private record Service(Supplier<? extends RequesterPort> port, AutoCloseable closer) {
    }

    private record CheckpointKey(Path policy, String storeUrl, String storeUser, String requesterToken,
                                 String publicUrl, AuditSettings audit) {
    }

    /** A checkpoint and the policy version it decides with. */
    private record Current(String policyVersion, Checkpoint checkpoint) {
    }

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<ServiceKey, Service> SERVICES = new HashMap<>();
    private static final Map<CheckpointKey, Current> CHECKPOINTS = new HashMap<>();
    private static boolean hooked;

    private SharedCheckpoints() {
    }

    static Checkpoint get(GuardSettings s) throws SQLException {
        LOCK.lock();
        try {
            Policy policy;
            try {
                policy = Policy.load(s.policy());
            } catch (PolicyException e) {
                throw new SQLException("gatehouse: " + e.getMessage(), GatehouseSqlState.BAD_SETTING, e);
            }
            CheckpointKey key = new CheckpointKey(s.policy(), s.storeUrl(), s.storeUser(), s.requesterToken(),
                    s.publicUrl(), s.audit());
            Current current = CHECKPOINTS.get(key);
            if (current != null && current.policyVersion().equals(policy.version())) {
                return current.checkpoint();
            }
            Supplier<? extends RequesterPort> approvals = service(s, policy.approvers()).port();
            // Replaces a checkpoint made for an older version of the file; connections using it keep it.
            Checkpoint made = new Checkpoint(policy, approvals, s.audit(), Gate.DEFAULT_MAXIMUM_SIZE);
            CHECKPOINTS.put(key, new Current(policy.version(), made));
            return made;
        } finally {
            LOCK.unlock();
        }
    }

    private static Service service(GuardSettings s, Map<String, List<String>> approvers) throws SQLException {
        // Serve decides who may vote: a remote front end's port does not depend on the policy's approvers.
        ServiceKey key = new ServiceKey(s.storeUrl(), s.storeUser(), s.requesterToken(),
                s.remote() ? Map.of() : approvers, s.publicUrl(), s.audit());
        Service found = SERVICES.get(key);
        if (found != null) {
            return found;
        }
        if (SERVICES.size() >= MAX_SERVICES) {
            throw new SQLException("gatehouse: more than " + MAX_SERVICES + " distinct approvals stores, approver "
                    + "lists or audit settings in one JVM; refusing to open another", GatehouseSqlState.BAD_SETTING);
        }
        Service made;
        if (s.remote()) {
            RemoteRequester remote;
            try {
                remote = new RemoteRequester(s.storeUrl(), s.requesterToken(), s.publicUrl(), s.audit());
            } catch (IllegalArgumentException e) {
                throw new SQLException("gatehouse: bad setting gatehouse.approvals: " + e.getMessage(),
                        GatehouseSqlState.BAD_SETTING, e);
            }
            made = new Service(() -> remote, remote);
        } else {
            ServiceOptions options = ServiceOptions.defaults().withPublicUrl(s.publicUrl()).withAudit(s.audit());
            LazyApprovals lazy = new LazyApprovals(s.storeUrl(), s.storeUser(), s.storePassword(), approvers, options);
            made = new Service(lazy, lazy);
        }
        SERVICES.put(key, made);
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("gatehouse-driver-shutdown")
                    .unstarted(SharedCheckpoints::closeAll));
            hooked = true;
        }
        return made;
    }

    private static void closeAll() {
        List<Service> all;
        LOCK.lock();
        try {
            all = new ArrayList<>(SERVICES.values());
            SERVICES.clear();
            CHECKPOINTS.clear();
        } finally {
            LOCK.unlock();
        }
        for (Service a : all) {
            try {
                a.closer().close();
            } catch (Exception e) {
                // Shutting down: nothing is left to tell.
            }
        }
    }
}
