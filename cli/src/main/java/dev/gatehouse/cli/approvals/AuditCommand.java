package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.audit.Anchor;
import dev.gatehouse.approvals.audit.AnchorCheck;
import dev.gatehouse.approvals.audit.AnchorFile;
import dev.gatehouse.approvals.audit.AuditLog;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code gatehouse audit verify|export|head}: reads the audit chain straight from the store; {@code verify
 * --anchors FILE} also checks the chain against anchors kept outside it. Runs on the CLI main thread.
 */
public final class AuditCommand implements Command {
    static final List<Options.Spec> OPTIONS = StoreSettings.withStoreOptions(
            new Options.Spec("--out", "FILE", "export: write the JSON lines to FILE instead of stdout"),
            new Options.Spec("--anchors", "FILE", "verify: also check every anchor in FILE (JSON lines written by serve or audit head)"));
    private static final Set<String> WORDS = Set.of("verify", "export", "head");

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String summary() {
        return "verify the audit chain (against anchors kept outside the store), export it, or print its head";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse audit verify [--anchors FILE] [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]
                       gatehouse audit export [--out FILE] [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]
                       gatehouse audit head [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]

                verify  checks the SHA-256 hash chain; reports the first edited, deleted or reordered record
                        (exit 1), else the number of records (exit 0). With --anchors FILE it also checks that
                        every anchor's record still exists with the anchored hash: a rewritten or cut chain, or
                        anchors out of order, is exit 1; a malformed anchor file is exit 2 with its line.
                export  writes every record as one JSON line, for a SIEM; never stops at a record: one that is
                        not a JSON object (edited) is written with its "raw" text, marked "unreadable" (exit 1)
                head    prints the chain's head as one JSON line {"at":..,"hash":..,"seq":..}: an anchor to keep
                        outside the store (serve writes them itself with audit: anchors: in its config)
                Exit code: 2 for a bad command line, 3 when the store cannot be reached.

                """ + Options.describe(OPTIONS);
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options options = Options.parse(args, OPTIONS, true);
        List<String> words = options.positional();
        if (words.size() != 1 || !WORDS.contains(words.get(0))) {
            throw new UsageException("say audit verify, audit export or audit head" + (words.isEmpty() ? "" : ", not " + String.join(" ", words)));
        }
        if (!words.get(0).equals("export") && options.value("--out").isPresent()) {
            throw new UsageException("--out is for audit export");
        }
        if (!words.get(0).equals("verify") && options.value("--anchors").isPresent()) {
            throw new UsageException("--anchors is for audit verify");
        }
        // read before the store opens: a bad anchor file is bad input (exit 2), whatever the store holds
        AnchorFile.Anchors anchors = options.value("--anchors").isPresent() ? anchors(Path.of(options.value("--anchors").get())) : null;
        StoreSettings store = StoreSettings.DEFAULT.override(options);
        return Failures.reported(name(), terminal, () -> {
            try (Store s = store.open(System::getenv)) {
                if (words.get(0).equals("verify")) {
                    return verify(s, anchors, terminal);
                }
                if (words.get(0).equals("head")) {
                    terminal.out().println(Anchor.of(AuditLog.head(s), Instant.now()).toJson());
                    return 0;
                }
                String file = options.value("--out").orElse(null);
                AuditVerifier.Exported e;
                if (file == null) {
                    Writer w = new BufferedWriter(new OutputStreamWriter(terminal.out(), StandardCharsets.UTF_8));
                    e = AuditVerifier.export(s, w);
                    w.flush();
                } else {
                    try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
                        e = AuditVerifier.export(s, w);
                        terminal.err().println("audit: exported " + e.records() + " records to " + file);
                    }
                }
                if (e.unreadable() > 0) {
                    // Every record was exported; these are edited ones, which audit verify reports as broken too.
                    terminal.err().println("audit: " + e.unreadable() + " records are not JSON objects (edited); exported"
                            + " as \"raw\" text marked \"unreadable\"; run gatehouse audit verify");
                    return 1;
                }
                return 0;
            }
        });
    }

    private static int verify(Store s, AnchorFile.Anchors anchors, Terminal terminal) {
        AuditVerifier.Result r = AuditVerifier.verify(s);
        if (!r.ok()) {
            terminal.out().println("audit: BROKEN at record " + r.problem().get().seq() + ": " + r.problem().get().what());
            return 1;
        }
        if (anchors == null) {
            terminal.out().println("audit: " + r.records() + " records, chain intact");
            return 0;
        }
        AnchorCheck.Result a = AnchorCheck.verify(s, anchors);
        if (!a.ok()) {
            terminal.out().println("audit: " + r.records() + " records, chain intact by itself, but ANCHOR FAILED ("
                    + a.problem().get().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "): " + a.problem().get().what());
            return 1;
        }
        terminal.out().println("audit: " + r.records() + " records, chain intact, " + a.anchors()
                + (a.anchors() == 1 ? " anchor holds" : " anchors hold"));
        return 0;
    }

    private static AnchorFile.Anchors anchors(Path file) throws UsageException {
        try {
            return AnchorFile.read(file);
        } catch (AnchorFile.BadAnchorFile e) {
            throw new UsageException("anchor file " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException("cannot read the anchor file " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
