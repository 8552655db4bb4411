package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.enforce.session.StartupSettings;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.proxy.protocol.ClientCharset;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.startup.StartupMessage;

import java.util.List;

/**
 * Decides a StartupMessage before the proxy connects upstream. Replication connections and client encodings
 * that can hide a quote are refused; the settings the startup makes ({@link StartupSettings}) are decided by
 * the guard as the SET statements they are, and audited as such. A denial, a hold or a failure refuses the
 * connection with a FATAL error naming the rules: a hold does not wait at startup (the request stays open, and
 * the same connection can be made again once it is approved).
 *
 * <p>Threads: the session's own thread, at startup.
 */
final class StartupCheck {
    private static final System.Logger LOG = System.getLogger(StartupCheck.class.getName());

    private StartupCheck() {
    }

    /** The FATAL error that refuses this startup, or null to connect. */
    static ErrorResponse refusal(StartupMessage startup, SessionContext context, SessionState session) {
        if (startup.replication()) {
            // Replication streams WAL and runs its own command language: nothing a statement policy covers.
            return new ErrorResponse("FATAL", SqlStates.FEATURE_NOT_SUPPORTED, "Gatehouse does not relay replication connections", null, null);
        }
        List<StartupSettings.Setting> settings;
        String sql;
        try {
            settings = StartupSettings.read(startup.parameters());
            sql = StartupSettings.asSql(settings);
        } catch (StartupSettings.Unreadable e) {
            return new ErrorResponse("FATAL", SqlStates.FEATURE_NOT_SUPPORTED, e.getMessage(), null, "use -c name=value");
        }
        for (StartupSettings.Setting s : settings) {
            if (s.name().equals("client_encoding") && ClientCharset.hidesQuotes(s.value())) {
                return new ErrorResponse("FATAL", SqlStates.FEATURE_NOT_SUPPORTED, "Gatehouse refuses client encodings in which a quote"
                        + " or backslash can be part of a multibyte character (SJIS, BIG5, GBK, UHC, GB18030, JOHAB)",
                        null, "use client_encoding UTF8");
            }
        }
        return sql.isEmpty() ? null : decide(sql, context, session);
    }

    private static ErrorResponse decide(String sql, SessionContext context, SessionState session) {
        Outcome outcome;
        try {
            outcome = context.guard().check(Execution.of(sql, List.of(), Origin.STARTUP, session));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "guard failed ({0}) for {1}; startup settings refused",
                    e.getClass().getName(), session.clientAddress());
            return Refusals.fatal(new Refusal.Undecided(null));
        }
        return switch (outcome) {
            case Outcome.Allow allow -> null;
            case Outcome.Deny deny -> Refusals.fatal(new Refusal.Denied(deny.reason(), deny.ruleIds()));
            // No waiting at startup: the request stays open, and the same connection runs once it is approved.
            case Outcome.Review review -> Refusals.fatal(new Refusal.Pending(review.requestId(), review.approvalUrl(),
                    review.reason(), review.ruleIds()));
            case Outcome.Failed failed -> {
                LOG.log(System.Logger.Level.WARNING, "guard could not decide for {0}; startup settings refused",
                        session.clientAddress());
                yield Refusals.fatal(new Refusal.Undecided(failed.reason()));
            }
        };
    }
}
