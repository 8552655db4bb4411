package dev.gatehouse.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.sql.Dialect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One bypass attempt of the shared adversarial table ({@code /adversarial/cases.yaml}, decided with
 * {@code /adversarial/policy.yaml}). The library, the JDBC driver and the wire proxy tests all read this one
 * table (the driver and proxy through sql-policy's test jar), each sending every case that lists its channel.
 *
 * @param sql     the submission, with {@code {t}} still to be replaced by the channel's table
 * @param session statements sent first on the same connection (channels with sessions only)
 * @param rules   the enforcing rules expected to fire at the decided action; empty when a default decides
 */
public record AttackCase(String name, Dialect dialect, Set<Channel> channels, String sql, List<String> session,
                         Action expect, List<String> rules) {
    /** Where a case can be sent. */
    public enum Channel { LIBRARY, DRIVER, PROXY_SIMPLE, PROXY_EXTENDED }

    /** The long run of white space {@code {ws}} stands for. */
    public static final int LONG_WHITESPACE = 100_000;

    public AttackCase {
        channels = Collections.unmodifiableSet(EnumSet.copyOf(channels));
        session = List.copyOf(session);
        rules = List.copyOf(rules);
    }

    /** Every case of the table, in file order. */
    public static List<AttackCase> all() {
        try (InputStream in = AttackCase.class.getResourceAsStream("/adversarial/cases.yaml")) {
            if (in == null) {
                throw new IllegalStateException("/adversarial/cases.yaml is not on the class path");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            List<AttackCase> cases = new ArrayList<>();
            Set<String> names = new TreeSet<>();
            for (JsonNode c : root.get("cases")) {
                AttackCase parsed = parse(c);
                if (!names.add(parsed.name())) {
                    throw new IllegalStateException("duplicate case name: " + parsed.name());
                }
                cases.add(parsed);
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of {@code dialect} that {@code channel} sends. */
    public static List<AttackCase> forChannel(Channel channel, Dialect dialect) {
        List<AttackCase> out = new ArrayList<>();
        for (AttackCase c : all()) {
            if (c.dialect() == dialect && c.channels().contains(channel)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The table's policy. */
    public static Policy policy() {
        try (InputStream in = AttackCase.class.getResourceAsStream("/adversarial/policy.yaml")) {
            return Policy.parse("adversarial/policy.yaml", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The policy's text, for channels that load it from a file. */
    public static byte[] policyBytes() {
        try (InputStream in = AttackCase.class.getResourceAsStream("/adversarial/policy.yaml")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The submission with the channel's table in place of {@code {t}}. */
    public String sql(String table) {
        return expand(sql, table);
    }

    /** The session statements with the channel's table in place of {@code {t}}. */
    public List<String> session(String table) {
        List<String> out = new ArrayList<>(session.size());
        for (String s : session) {
            out.add(expand(s, table));
        }
        return out;
    }

    /** The enforcing rules that fired at the decision's own action, over every statement: what a client is told. */
    public static List<String> firedRules(Decision d) {
        Action decided = d.verdict().action();
        Set<String> ids = new TreeSet<>();
        for (StatementDecision s : d.statements()) {
            for (RuleHit h : s.verdict().hits()) {
                if (!h.shadow() && h.action() == decided) {
                    ids.add(h.ruleId());
                }
            }
        }
        return List.copyOf(ids);
    }

    @Override
    public String toString() {
        return name;
    }

    private static String expand(String text, String table) {
        return text.replace("{t}", table).replace("{ws}", " ".repeat(LONG_WHITESPACE));
    }

    private static AttackCase parse(JsonNode c) {
        String name = text(c, "name");
        Dialect dialect = switch (text(c, "dialect")) {
            case "postgres" -> Dialect.POSTGRES;
            case "mysql" -> Dialect.MYSQL;
            default -> throw new IllegalStateException(name + ": unknown dialect");
        };
        EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);
        if (c.has("channels")) {
            for (JsonNode ch : c.get("channels")) {
                channels.add(Channel.valueOf(ch.asText().replace('-', '_').toUpperCase(Locale.ROOT)));
            }
        } else if (dialect == Dialect.POSTGRES) {
            channels.addAll(EnumSet.allOf(Channel.class));
        } else {
            channels.add(Channel.LIBRARY);
            channels.add(Channel.DRIVER);
        }
        if (dialect == Dialect.MYSQL && (channels.contains(Channel.PROXY_SIMPLE) || channels.contains(Channel.PROXY_EXTENDED))) {
            throw new IllegalStateException(name + ": the wire proxy speaks PostgreSQL only");
        }
        List<String> session = new ArrayList<>();
        if (c.has("session")) {
            c.get("session").forEach(s -> session.add(s.asText()));
        }
        Action expect = Action.valueOf(text(c, "expect").toUpperCase(Locale.ROOT));
        List<String> rules = new ArrayList<>();
        c.get("rules").forEach(r -> rules.add(r.asText()));
        Collections.sort(rules);
        return new AttackCase(name, dialect, channels, text(c, "sql"), session, expect, rules);
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalStateException("case " + c + ": missing " + field);
        }
        return v.asText();
    }
}
