package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.audit.AnchorPublisher;
import dev.gatehouse.approvals.events.ApprovalEvents;
import dev.gatehouse.approvals.events.InboundVerifier;
import dev.gatehouse.approvals.hooks.HookConfig;
import dev.gatehouse.approvals.hooks.HookDispatcher;
import dev.gatehouse.approvals.hooks.HookEvent;
import dev.gatehouse.approvals.hooks.HookTarget;
import dev.gatehouse.approvals.hooks.InboundConfig;
import dev.gatehouse.approvals.hooks.InboundDecisions;
import dev.gatehouse.approvals.hooks.InboundVote;
import dev.gatehouse.approvals.hooks.Secret;
import dev.gatehouse.approvals.http.ApiServer;
import dev.gatehouse.approvals.http.HookHealth;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.cli.UsageException;
import dev.gatehouse.enforce.catalog.UpstreamCatalogs;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.proxy.ProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts the approvals service from {@link ServeSettings}: loads the policy, reads the secrets, opens the store,
 * and wires the service's events to the hook dispatcher and the inbound hook routes to the verifiers. Runs on
 * the thread that starts {@code serve}; what it starts runs on its own threads (see each class).
 */
final class Serve {
    private Serve() {
    }

    /**
     * Everything {@code serve} started, stopped in the reverse order.
     *
     * @param catalogs the proxy's live catalogs, or null (no proxy, or one with a schema file)
     */
    record Running(Store store, ApprovalService service, HookDispatcher hooks, ApiServer server, ProxyServer proxy,
                   UpstreamCatalogs catalogs, AnchorPublisher anchors) implements AutoCloseable {
        @Override
        public void close() {
            if (proxy != null) {
                proxy.close(); // first: no statement may be held against a service that is going away
            }
            if (catalogs != null) {
                catalogs.close();
            }
            server.close();
            service.close();
            if (anchors != null) {
                anchors.close(); // after the service: the head it leaves is anchored at the next start
            }
            hooks.close();
            store.close();
        }
    }

    /**
     * @param env the environment secrets are read from ({@code System::getenv} outside tests)
     * @throws UsageException for a bad policy, an unset secret variable or an unreadable secret file (exit 2)
     */
    static Running start(ServeSettings s, Function<String, String> env) throws UsageException, IOException {
        return start(s, env, HookConfig.DEFAULTS);
    }

    /** As above with the hook dispatcher's bounds given (fault tests shorten its timeouts and backoff). */
    static Running start(ServeSettings s, Function<String, String> env, HookConfig hookConfig) throws UsageException, IOException {
        Policy policy = null;
        if (s.policy() != null) {
            try {
                policy = Policy.load(s.policy());
            } catch (PolicyException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (s.proxy() != null && policy == null) {
            throw new UsageException("the wire proxy decides by a policy: give policy: in the config or --policy");
        }
        // read before anything opens, so a bad schema file or an unset password is a usage error with nothing to close
        ServeProxy.Names proxyNames = ServeProxy.names(s.proxy(), env);
        Map<String, List<String>> approvers = policy == null ? Map.of() : policy.approvers();
        List<HookTarget> targets = targets(s.hooks(), env);
        InboundDecisions inbound = new InboundDecisions(new InboundConfig(secret(s.inbound().slackSigningSecret(), env),
                s.inbound().slackUsers(), secret(s.inbound().decisionSecret(), env)));
        Store store = s.store().open(env);
        HookDispatcher hooks = new HookDispatcher(targets, hookConfig);
        ApprovalService service = null;
        ApiServer server = null;
        ServeProxy.Started proxy = null;
        try {
            service = new ApprovalService(store, approvers,
                    ServiceOptions.defaults().withPublicUrl(s.effectivePublicUrl()).withAudit(s.audit()), events(hooks));
            server = new ApiServer(service, new TokenStore(store), slack(inbound), signed(inbound),
                    HookHealth.of(targets.size(), hooks), new InetSocketAddress(s.listen().host(), s.listen().port())).start();
            proxy = s.proxy() == null ? null
                    : ServeProxy.start(s.proxy(), proxyNames, policy, service, s.audit());
            AnchorPublisher anchors = s.anchors() == null ? null : AnchorPublisher.start(store, s.anchors().file(), s.anchors().every());
            return new Running(store, service, hooks, server, proxy == null ? null : proxy.server(),
                    proxy == null ? null : proxy.catalogs(), anchors);
        } catch (IOException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            if (server != null) {
                server.close();
            }
            if (service != null) {
                service.close();
            }
            hooks.close();
            store.close();
            throw e;
        }
    }

    /** The service's announcements, as hook events; publish only queues, so the service's thread never waits. */
    static ApprovalEvents events(HookDispatcher hooks) {
        return (type, requestId, at, payload) -> hooks.publish(new HookEvent(type, requestId, at, payload));
    }

    static InboundVerifier slack(InboundDecisions inbound) {
        return (headers, body) -> inbound.verifySlack(headers, body).map(Serve::vote);
    }

    static InboundVerifier signed(InboundDecisions inbound) {
        return (headers, body) -> inbound.verifySigned(headers, body).map(Serve::vote);
    }

    private static InboundVerifier.Inbound vote(InboundVote v) {
        return new InboundVerifier.Inbound(v.requestId(), v.approver(), v.approve(), v.reason(), v.channel());
    }

    private static List<HookTarget> targets(List<ServeSettings.Hook> hooks, Function<String, String> env) throws UsageException {
        List<HookTarget> out = new ArrayList<>(hooks.size());
        for (ServeSettings.Hook h : hooks) {
            String url = ValueSource.resolve(h.url(), env);
            try {
                out.add(new HookTarget(h.kind(), new URI(url), secret(h.secret(), env), h.events()));
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                // The URL may be a credential (Slack, Teams): say where it came from, never what it is.
                throw new UsageException(h.url().where() + ": not an absolute http(s) URL");
            }
        }
        return out;
    }

    private static Secret secret(ValueSource source, Function<String, String> env) throws UsageException {
        return source == null ? null : Secret.of(ValueSource.resolve(source, env));
    }

    /**
     * Slack users mapped to names the policy does not know: their clicks would be refused as not eligible, so
     * say so at start rather than leave approvers to find out when a request waits.
     */
    static List<String> warnings(Running r, ServeSettings s) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> user : new java.util.TreeMap<>(s.inbound().slackUsers()).entrySet()) {
            if (!r.service().approvers().isConfigured(user.getValue())) {
                out.add("gatehouse serve: warning: inbound.slack.users maps " + user.getKey() + " to " + user.getValue()
                        + ", who is in no approvers: group of the policy; their votes will be refused");
            }
        }
        return out;
    }

    /** A one-line description for the start-up message: where, which store, which hooks; never a secret. */
    static String describe(Running r, ServeSettings s) {
        StringBuilder b = new StringBuilder("gatehouse serve: listening on http://").append(s.listen().host()).append(':')
                .append(r.server().port()).append(" (store ").append(r.store().vendor().name().toLowerCase(java.util.Locale.ROOT));
        b.append(Optional.ofNullable(s.policy()).map(p -> ", policy " + p).orElse(", no policy: nobody may vote"));
        b.append(", ").append(s.hooks().size()).append(s.hooks().size() == 1 ? " web hook" : " web hooks");
        for (ServeSettings.Hook h : s.hooks()) {
            b.append(' ').append(h.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        b.append(')');
        if (s.anchors() != null) {
            b.append("; audit anchors to ").append(s.anchors().file()).append(" every ").append(s.anchors().every().toSeconds()).append('s');
        }
        if (r.proxy() != null) {
            b.append("; PostgreSQL proxy on ").append(s.proxy().listen().host()).append(':').append(r.proxy().port())
                    .append(" to ").append(s.proxy().upstream());
            b.append(s.proxy().schema() != null ? ", names from " + s.proxy().schema()
                    : ", names from each database's live catalog, read as "
                    + (s.proxy().catalog().user() != null ? s.proxy().catalog().user() : "the default user"));
        }
        return b.toString();
    }
}
