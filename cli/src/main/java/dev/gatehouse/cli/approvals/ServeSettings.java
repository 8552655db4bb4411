package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.hooks.HookTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code gatehouse serve} runs with, from {@code --config FILE} (see {@link ServeConfig}) and then
 * the command-line flags, which win. Secrets are held as {@link ValueSource}s and read only at start.
 * Immutable.
 *
 * @param listen    HOST:PORT
 * @param publicUrl the page's base URL as approvers reach it, put in hook messages; null: {@code http://listen}
 * @param policy    the policy file whose {@code approvers:} say who may vote; null: nobody may
 * @param proxy     the PostgreSQL wire proxy to run alongside, or null for none
 * @param anchors   where and how often the audit head is anchored outside the store, or null for never
 */
record ServeSettings(HostPort listen, String publicUrl, StoreSettings store, Path policy, AuditSettings audit,
                     List<Hook> hooks, Inbound inbound, ProxySettings proxy, Anchors anchors) {
    static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 8700);

    ServeSettings {
        hooks = List.copyOf(hooks);
    }

    /** Without audit anchors. */
    ServeSettings(HostPort listen, String publicUrl, StoreSettings store, Path policy, AuditSettings audit,
                  List<Hook> hooks, Inbound inbound, ProxySettings proxy) {
        this(listen, publicUrl, store, policy, audit, hooks, inbound, proxy, null);
    }

    static ServeSettings defaults() {
        return new ServeSettings(DEFAULT_LISTEN, null, StoreSettings.DEFAULT, null, AuditSettings.DEFAULT, List.of(), Inbound.NONE, null);
    }

    String effectivePublicUrl() {
        return publicUrl != null ? publicUrl : "http://" + listen;
    }

    ServeSettings withListen(HostPort l) {
        return new ServeSettings(l, publicUrl, store, policy, audit, hooks, inbound, proxy, anchors);
    }

    ServeSettings withPublicUrl(String u) {
        return new ServeSettings(listen, u, store, policy, audit, hooks, inbound, proxy, anchors);
    }

    ServeSettings withStore(StoreSettings s) {
        return new ServeSettings(listen, publicUrl, s, policy, audit, hooks, inbound, proxy, anchors);
    }

    ServeSettings withPolicy(Path p) {
        return new ServeSettings(listen, publicUrl, store, p, audit, hooks, inbound, proxy, anchors);
    }

    ServeSettings withProxy(ProxySettings p) {
        return new ServeSettings(listen, publicUrl, store, policy, audit, hooks, inbound, p, anchors);
    }

    /**
     * Audit anchors: the head appended to {@code file} every {@code every} when it moved.
     *
     * @param every within {@link dev.gatehouse.approvals.audit.AnchorPublisher#MIN_EVERY}..{@code MAX_EVERY}
     */
    record Anchors(Path file, java.time.Duration every) {
    }

    /** A host and a port (0: any free port, for tests). */
    record HostPort(String host, int port) {
        /** Parses {@code HOST:PORT}; null when malformed. */
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return null;
            }
            int port = 0;
            for (int i = colon + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || port > 65535) {
                    return null;
                }
                port = port * 10 + (c - '0');
            }
            return port > 65535 ? null : new HostPort(text.substring(0, colon), port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * One outbound web hook.
     *
     * @param url    plain for a generic hook; env or file for Slack and Teams, whose URLs carry a token
     * @param secret the HMAC key (required for generic hooks); null for none
     * @param events event types wanted; empty: all
     */
    record Hook(HookTarget.Kind kind, ValueSource url, ValueSource secret, Set<String> events) {
        Hook {
            events = Set.copyOf(events);
        }
    }

    /**
     * Decisions that come in by web hook.
     *
     * @param slackSigningSecret null: the Slack endpoint rejects everything
     * @param slackUsers         Slack user id to approver name
     * @param decisionSecret     null: the signed-decision endpoint rejects everything
     */
    record Inbound(ValueSource slackSigningSecret, Map<String, String> slackUsers, ValueSource decisionSecret) {
        static final Inbound NONE = new Inbound(null, Map.of(), null);

        Inbound {
            slackUsers = Map.copyOf(slackUsers);
        }
    }
}
