package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code gatehouse audit verify|export}: reads the audit chain straight from the store. Runs on the CLI main thread. */
public final class AuditCommand implements Command {
    static final List<Options.Spec> OPTIONS = StoreSettings.withStoreOptions(
            new Options.Spec("--out", "FILE", "export: write the JSON lines to FILE instead of stdout"));

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String summary() {
        return "verify the audit chain or export it as JSON lines";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse audit verify [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]
                       gatehouse audit export [--out FILE] [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]

                verify  checks the SHA-256 hash chain; reports the first edited, deleted or reordered record
                        (exit 1), else the number of records (exit 0)
                export  writes every record as one JSON line, for a SIEM
                Exit code: 2 for a bad command line, 3 when the store cannot be reached.

                """ + Options.describe(OPTIONS);
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options options = Options.parse(args, OPTIONS, true);
        List<String> words = options.positional();
        if (words.size() != 1 || !(words.get(0).equals("verify") || words.get(0).equals("export"))) {
            throw new UsageException("say audit verify or audit export" + (words.isEmpty() ? "" : ", not " + String.join(" ", words)));
        }
        if (words.get(0).equals("verify") && options.value("--out").isPresent()) {
            throw new UsageException("--out is for audit export");
        }
        StoreSettings store = StoreSettings.DEFAULT.override(options);
        return Failures.reported(name(), terminal, () -> {
            try (Store s = store.open(System::getenv)) {
                if (words.get(0).equals("verify")) {
                    AuditVerifier.Result r = AuditVerifier.verify(s);
                    if (r.ok()) {
                        terminal.out().println("audit: " + r.records() + " records, chain intact");
                        return 0;
                    }
                    terminal.out().println("audit: BROKEN at record " + r.problem().get().seq() + ": " + r.problem().get().what());
                    return 1;
                }
                String file = options.value("--out").orElse(null);
                if (file == null) {
                    Writer w = new BufferedWriter(new OutputStreamWriter(terminal.out(), StandardCharsets.UTF_8));
                    AuditVerifier.export(s, w);
                    w.flush();
                } else {
                    try (Writer w = Files.newBufferedWriter(Path.of(file))) {
                        long n = AuditVerifier.export(s, w);
                        terminal.err().println("audit: exported " + n + " records to " + file);
                    }
                }
                return 0;
            }
        });
    }
}
