package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.hooks.HookTarget;
import dev.gatehouse.cli.UsageException;
import dev.gatehouse.policy.PolicyException;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The serve config is read as strictly as a policy: every error names file, line, column and field. */
class ServeConfigTest {
    @TempDir
    Path dir;

    @Test
    void theExampleLoadsWithEverySection() throws Exception {
        ServeSettings s = ServeConfig.load(Path.of("../examples/serve.yaml"));
        assertEquals("127.0.0.1:8700", s.listen().toString());
        assertEquals("https://gatehouse.example.com", s.effectivePublicUrl());
        assertEquals(Path.of("../examples/policy.yaml").toAbsolutePath().normalize(), s.policy().normalize());
        assertEquals(new AuditSettings(AuditSettings.AllowMode.SAMPLED, 100, true), s.audit());
        assertEquals("jdbc:postgresql://db.internal:5432/gatehouse", s.store().url());
        assertEquals(new ValueSource.Env("GATEHOUSE_STORE_PASSWORD", "../examples/serve.yaml:11:3: store.password_env"), s.store().password());
        assertEquals(3, s.hooks().size());
        assertEquals(HookTarget.Kind.GENERIC, s.hooks().get(0).kind());
        assertEquals(Set.of("request.created", "request.approved", "request.denied", "request.expired"), s.hooks().get(0).events());
        assertEquals(new ValueSource.Env("GATEHOUSE_SLACK_WEBHOOK_URL", "../examples/serve.yaml:24:5: hooks[1].url_env"), s.hooks().get(1).url());
        assertTrue(s.hooks().get(2).url() instanceof ValueSource.File f && f.path().equals(Path.of("/run/secrets/teams-webhook-url")));
        assertEquals(Map.of("U024BE7LH", "alice", "U0G9QF9C6", "bob"), s.inbound().slackUsers());
        assertTrue(s.inbound().decisionSecret() instanceof ValueSource.File);
        assertEquals("127.0.0.1:6432", s.proxy().listen().toString());
        assertEquals("127.0.0.1:5432", s.proxy().upstream().toString());
        assertEquals(Path.of("/etc/gatehouse/proxy.key"), s.proxy().tlsKey());
        assertEquals(dev.gatehouse.policy.ReviewSpec.HoldMode.WAIT, s.proxy().holdMode());
        assertEquals(500, s.proxy().limits().maxConnections());
        assertEquals(java.time.Duration.ofMinutes(10), s.proxy().limits().maxHoldWait());
        assertEquals(dev.gatehouse.proxy.SessionThreads.PLATFORM, s.proxy().threads());
        assertNull(s.proxy().schema(), "the live catalog");
        assertEquals("gatehouse_catalog", s.proxy().catalog().user());
        assertEquals(new ValueSource.Env("GATEHOUSE_CATALOG_PASSWORD", "../examples/serve.yaml:45:5: proxy.catalog.password_env"),
                s.proxy().catalog().password());
    }

    /** {@code gatehouse proxy}'s file: no store, no hooks; a credential by reference only; serve's keys refused. */
    @Test
    void aProxyHostsFileNamesServeAndItsCredentialAndNothingOfTheStore() throws Exception {
        ProxyHostSettings p = ServeConfig.loadProxyHost(Path.of("../examples/proxy.yaml"));
        assertEquals("https://gatehouse.internal:8700", p.approvalsUrl());
        assertEquals("https://gatehouse.example.com", p.publicUrl());
        assertTrue(p.token() instanceof ValueSource.File f && f.path().equals(Path.of("/run/secrets/gatehouse-requester")));
        assertEquals(Path.of("../examples/policy.yaml").toAbsolutePath().normalize(), p.policy().normalize());
        assertEquals("db.internal:5432", p.proxy().upstream().toString());
        record Case(String name, String yaml, String says) {
        }
        String head = "version: 1\npolicy: p.yaml\nproxy: { upstream: 127.0.0.1:5432 }\n";
        for (Case c : List.of(
                new Case("a store", head + "approvals: { url: http://s:1, token_env: T }\nstore: { url: jdbc:h2:mem:x }\n", "store"),
                new Case("hooks", head + "approvals: { url: http://s:1, token_env: T }\nhooks: []\n", "hooks"),
                new Case("a token written inline", head + "approvals: { url: http://s:1, token: ghr_x.y }\n", "never written in the config file"),
                new Case("no credential", head + "approvals: { url: http://s:1 }\n", "token_env or token_file"),
                new Case("not an http URL", head + "approvals: { url: jdbc:h2:mem:x, token_env: T }\n", "absolute http(s) URL"),
                new Case("serve's audit anchors", head + "approvals: { url: http://s:1, token_env: T }\naudit: { anchors: { file: a } }\n", "anchors"),
                new Case("no approvals", head, "approvals"))) {
            Path file = dir.resolve("proxy-" + Math.abs(c.name().hashCode()) + ".yaml");
            Files.writeString(file, c.yaml());
            PolicyException e = assertThrows(PolicyException.class, () -> ServeConfig.loadProxyHost(file), c.name());
            assertTrue(e.getMessage().startsWith(file.toString() + ":") && e.getMessage().contains(c.says()), c.name() + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("ghr_x"), "never the token");
        }
    }

    @Test
    void auditAnchorsNameAFileRelativeToTheConfigAndAnIntervalOfAMinuteByDefault() throws Exception {
        ServeSettings s = load("version: 1\naudit:\n  anchors: { file: anchors/head.jsonl }\n");
        assertEquals(new ServeSettings.Anchors(dir.resolve("anchors/head.jsonl"), java.time.Duration.ofSeconds(60)), s.anchors());
        assertEquals(java.time.Duration.ofHours(1), load("version: 1\naudit:\n  anchors: { file: a, every: 1h }\n").anchors().every());
        assertEquals(java.time.Duration.ofSeconds(1), load("version: 1\naudit:\n  anchors: { file: a, every: 1s }\n").anchors().every());
        assertNull(load("version: 1\naudit:\n  allows: all\n").anchors());
    }

    @Test
    void aMinimalFileMeansTheDefaults() throws Exception {
        ServeSettings s = load("version: 1\n");
        assertEquals(ServeSettings.defaults(), s);
        assertEquals("http://127.0.0.1:8700", s.effectivePublicUrl());
        assertNull(s.policy());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "empty file           | ~~                                                   | 1:1: the file is empty",
            "no version           | ~listen: 127.0.0.1:1~                                | 1:1: version: missing (required)",
            "wrong version        | ~version: 2~                                         | 1:10: version: only version 1 exists",
            "unknown key          | ~version: 1\\nlisen: x~                              | 2:1: lisen: unknown field (expected one of version, listen,",
            "duplicate key        | ~version: 1\\npolicy: a\\npolicy: b~                 | 3:1: policy: duplicate key (first written at line 2)",
            "bad listen           | ~version: 1\\nlisten: localhost~                     | 2:9: listen: expected HOST:PORT",
            "port too large       | ~version: 1\\nlisten: h:70000~                       | 2:9: listen: expected HOST:PORT",
            "bad public url       | ~version: 1\\npublic_url: gatehouse.local~           | 2:13: public_url: expected an absolute http(s) URL",
            "inline password      | ~version: 1\\nstore:\\n  password: hunter2~          | 3:3: store.password: secrets are never written in the config file",
            "password in the URL  | ~version: 1\nstore:\n  url: 'jdbc:postgresql://h/db?user=u&Password=hunter2'~ | 3:8: store.url: holds a password",
            "password env and file| ~version: 1\\nstore:\\n  password_env: A\\n  password_file: b~ | 4:3: store.password_file: give password_env or password_file, not both",
            "value as a var name  | ~version: 1\\nstore:\\n  password_env: hunter2!~     | 3:17: store.password_env: expected the NAME of an environment variable",
            "bad allows           | ~version: 1\\naudit:\\n  allows: some~               | 3:11: audit.allows: 'some' is not valid (expected one of off, sampled, all)",
            "sampling without sampled | ~version: 1\\naudit:\\n  sample_every: 5~       | 3:3: audit.sample_every: only means something with allows: sampled",
            "zero sampling        | ~version: 1\\naudit:\\n  allows: sampled\\n  sample_every: 0~ | 4:17: audit.sample_every: must be at least 1",
            "redact not boolean   | ~version: 1\\naudit:\\n  redact_literals: yes please~ | 3:20: audit.redact_literals: expected true or false",
            "anchors without file | ~version: 1\naudit:\n  anchors:\n    every: 5s~      | 4:5: audit.anchors.file: missing (required)",
            "anchor key misspelt  | ~version: 1\naudit:\n  anchors:\n    fil: a.jsonl~   | 4:5: audit.anchors.fil: unknown field",
            "anchor interval 2h   | ~version: 1\naudit:\n  anchors:\n    file: a\n    every: 2h~ | 5:12: audit.anchors.every: must be from 1s to 1h",
            "anchor interval in ms| ~version: 1\naudit:\n  anchors:\n    file: a\n    every: 500ms~ | 5:12: audit.anchors.every: '500ms' is not a duration",
            "hook without kind    | ~version: 1\\nhooks:\\n  - url: http://h/x~         | 3:5: hooks[0].kind: missing (required)",
            "unknown hook kind    | ~version: 1\\nhooks:\\n  - kind: email~              | 3:11: hooks[0].kind: 'email' is not valid (expected one of generic, slack, teams)",
            "inline hook secret   | ~version: 1\\nhooks:\\n  - kind: generic\\n    url: http://h/x\\n    secret: s3cr3t~ | 5:5: hooks[0].secret: secrets are never written in the config file",
            "unsigned generic hook| ~version: 1\\nhooks:\\n  - kind: generic\\n    url: http://h/x~ | 3:5: hooks[0].secret_env: a generic hook is signed",
            "inline slack url     | ~version: 1\\nhooks:\\n  - kind: slack\\n    url: https://hooks.slack.com/services/T/B/tok~ | 4:5: hooks[0].url: a slack web hook URL holds a token",
            "slack without url    | ~version: 1\\nhooks:\\n  - kind: slack~              | 3:5: hooks[0].url_env: missing: give url_env or url_file",
            "unknown event type   | ~version: 1\\nhooks:\\n  - kind: teams\\n    url_env: T\\n    events: [request.made]~ | 5:14: hooks[0].events[0]: 'request.made' is not valid",
            "empty hooks          | ~version: 1\\nhooks: []~                             | 2:8: hooks: empty list",
            "slack without users  | ~version: 1\\ninbound:\\n  slack:\\n    signing_secret_env: S~ | 4:5: inbound.slack.users: map Slack user ids to approvers",
            "inline signing secret| ~version: 1\\ninbound:\\n  slack:\\n    signing_secret: abc~ | 4:5: inbound.slack.signing_secret: secrets are never written",
            "slack user to nothing| ~version: 1\\ninbound:\\n  slack:\\n    signing_secret_env: S\\n    users: { U1: 7 }~ | 5:18: inbound.slack.users.U1: expected text",
            "decision without secret | ~version: 1\\ninbound:\\n  decision: {}~         | 3:13: inbound.decision.secret_env: missing",
            "not a mapping        | ~- version~                                          | 1:1: (document): expected a mapping",
            "unknown proxy key    | ~version: 1\nproxy:\n  lisen: x~                    | 3:3: proxy.lisen: unknown field",
            "bad proxy upstream   | ~version: 1\nproxy:\n  upstream: db~                | 3:13: proxy.upstream: expected HOST:PORT",
            "bad hold mode        | ~version: 1\nproxy:\n  hold_mode: later~            | 3:14: proxy.hold_mode: 'later' is not valid (expected one of wait, fail)",
            "bad thread kind      | ~version: 1\nproxy:\n  threads: green~              | 3:12: proxy.threads: 'green' is not valid",
            "zero connections     | ~version: 1\nproxy:\n  limits:\n    max_connections: 0~ | 4:22: proxy.limits.max_connections: must be at least 1",
            "unknown limit        | ~version: 1\nproxy:\n  limits:\n    max_rows: 5~     | 4:5: proxy.limits.max_rows: unknown field",
            "tls without key      | ~version: 1\nproxy:\n  tls:\n    cert_file: c.pem~  | 4:5: proxy.tls.key_file: missing (required)",
            "schema and catalog   | ~version: 1\nproxy:\n  schema: s.sql\n  catalog: { user: c }~ | 4:3: proxy.catalog: give schema (a file for every database) or catalog",
            "inline catalog pw    | ~version: 1\nproxy:\n  catalog:\n    password: hunter2~ | 4:5: proxy.catalog.password: secrets are never written in the config file",
            "unknown catalog key  | ~version: 1\nproxy:\n  catalog:\n    url: jdbc:x~    | 4:5: proxy.catalog.url: unknown field",
            "zero catalog dbs     | ~version: 1\nproxy:\n  catalog:\n    max_databases: 0~ | 4:20: proxy.catalog.max_databases: must be at least 1",
            "bad catalog refresh  | ~version: 1\nproxy:\n  catalog:\n    refresh: soon~  | 4:14: proxy.catalog.refresh: 'soon' is not a duration",
            "catalog env a value  | ~version: 1\nproxy:\n  catalog:\n    password_env: hunter2!~ | 4:19: proxy.catalog.password_env: expected the NAME of an environment variable",
    })
    void errorsNameFileLineAndField(String name, String yaml, String message) throws Exception {
        Path file = dir.resolve("serve.yaml");
        Files.writeString(file, yaml.replace("\\n", "\n"));
        PolicyException e = assertThrows(PolicyException.class, () -> ServeConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(file + ":" + message), e.getMessage());
        for (String secret : new String[] {"hunter2", "s3cr3t", "abc", "/tok"}) {
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
    }

    @Test
    void secretsAreReadAtStartAndTheirErrorsNameWhereNotWhat() throws Exception {
        Path secretFile = dir.resolve("decision.secret");
        Files.writeString(secretFile, "  from-a-file\n");
        ServeSettings s = load("""
                version: 1
                store:
                  password_env: STORE_PW
                inbound:
                  decision:
                    secret_file: decision.secret
                """);
        assertEquals("from-a-file", ValueSource.resolve(s.inbound().decisionSecret(), Map.<String, String>of()::get));
        assertEquals("pw", ValueSource.resolve(s.store().password(), Map.<String, String>of("STORE_PW", "pw")::get));
        UsageException unset = assertThrows(UsageException.class, () -> ValueSource.resolve(s.store().password(), Map.<String, String>of()::get));
        assertEquals(dir.resolve("serve.yaml") + ":3:3: store.password_env: environment variable STORE_PW is not set", unset.getMessage());
        Files.delete(secretFile);
        UsageException missing = assertThrows(UsageException.class, () -> ValueSource.resolve(s.inbound().decisionSecret(), Map.<String, String>of()::get));
        assertEquals(dir.resolve("serve.yaml") + ":6:5: inbound.decision.secret_file: no such file " + secretFile, missing.getMessage());
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        Path file = dir.resolve("serve.yaml");
        Files.writeString(file, "version: 1\nlisten: 127.0.0.1:9000\npolicy: a.yaml\nstore: { url: 'jdbc:h2:mem:a', user: u }\n");
        ServeSettings s = ServeCommand.settings(dev.gatehouse.cli.Options.parse(java.util.List.of("--config", file.toString(),
                "--listen", "0.0.0.0:1", "--policy", "b.yaml", "--store-user", "v", "--store-password-file", "pw"), ServeCommand.OPTIONS, false));
        assertEquals("0.0.0.0:1", s.listen().toString());
        assertEquals(Path.of("b.yaml"), s.policy());
        assertEquals("jdbc:h2:mem:a", s.store().url());
        assertEquals("v", s.store().user());
        assertEquals(new ValueSource.File(Path.of("pw"), "--store-password-file"), s.store().password());
    }

    @Test
    void theProxyCatalogIsConfiguredLikeTheStoreAndItsFlagsOverrideTheFile() throws Exception {
        ServeSettings s = load("""
                version: 1
                proxy:
                  catalog:
                    user: gh_catalog
                    password_file: catalog.pw
                    refresh: 30s
                    timeout: 2s
                    max_databases: 3
                    max_relations: 100
                """);
        CatalogSettings c = s.proxy().catalog();
        assertEquals("gh_catalog", c.user());
        assertEquals(new ValueSource.File(dir.resolve("catalog.pw"), "serve.yaml:5:5: proxy.catalog.password_file".replace(
                "serve.yaml", dir.resolve("serve.yaml").toString())), c.password());
        assertEquals(new dev.gatehouse.enforce.catalog.UpstreamCatalogs.Settings(3, 100, java.time.Duration.ofSeconds(30),
                java.time.Duration.ofSeconds(2)), c.bounds());
        Files.writeString(dir.resolve("catalog.pw"), "s3cr3t\n");
        assertEquals("s3cr3t", c.password(Map.<String, String>of()::get));

        ServeSettings d = load("version: 1\nproxy: {}\n");
        assertEquals(CatalogSettings.DEFAULT, d.proxy().catalog(), "absent: the live catalog, the default user");
        assertNull(d.proxy().schema());
        assertEquals("from-env", d.proxy().catalog().password(Map.of(CatalogSettings.PASSWORD_ENV, "from-env")::get));
        assertNull(d.proxy().catalog().password(Map.<String, String>of()::get), "no variable, no password");

        ServeSettings flags = ServeCommand.settings(dev.gatehouse.cli.Options.parse(java.util.List.of("--config",
                dir.resolve("serve.yaml").toString(), "--proxy-catalog-user", "other", "--proxy-catalog-password-file", "pw"),
                ServeCommand.OPTIONS, false));
        assertEquals("other", flags.proxy().catalog().user());
        assertEquals(new ValueSource.File(Path.of("pw"), "--proxy-catalog-password-file"), flags.proxy().catalog().password());
    }

    private ServeSettings load(String yaml) throws Exception {
        Path file = dir.resolve("serve.yaml");
        Files.writeString(file, yaml);
        return ServeConfig.load(file);
    }
}
