package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.audit.AuditSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code gatehouse proxy} runs with (see {@link ServeConfig#loadProxyHost}): a wire proxy on a host of its own,
 * whose held statements become requests at {@code gatehouse serve} through its requester API. Immutable.
 *
 * @param policy       the policy file every statement is decided by
 * @param approvalsUrl serve's base URL
 * @param token        where the requester credential is (a variable's name or a file), read only at start
 * @param publicUrl    the page's address as approvers reach it, for the notices held clients get
 * @param audit        which allowed statements are audited (denials always)
 */
record ProxyHostSettings(Path policy, String approvalsUrl, ValueSource token, String publicUrl, AuditSettings audit,
                         ProxySettings proxy) {
    ProxyHostSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(approvalsUrl, "approvalsUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(proxy, "proxy");
    }

    ProxyHostSettings withListen(ServeSettings.HostPort listen) {
        return new ProxyHostSettings(policy, approvalsUrl, token, publicUrl, audit, proxy.withListen(listen));
    }
}
