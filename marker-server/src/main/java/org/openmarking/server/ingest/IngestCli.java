package org.openmarking.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.openmarking.server.crypto.DirectoryBlobStore;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.crypto.EnvelopeCipher;
import org.openmarking.server.crypto.KeyRing;
import org.openmarking.server.crypto.KeystorePassphrase;

/**
 * Command-line ingest of scan files into a store directory (blobs, ledger and
 * identity journals), the twin of the server's admin upload. Exit status: 0 when
 * nothing was quarantined, 1 when something was, 2 on bad usage or configuration,
 * 3 when storage failed (rerunning is safe).
 *
 * <pre>
 * ingest --templates DIR --booklets FILE --keystore FILE --store DIR [--rescan] FILE|DIR...
 * </pre>
 * The keystore passphrase comes from {@code OPENMARKING_KEYSTORE_PASSPHRASE_FILE} or
 * {@code OPENMARKING_KEYSTORE_PASSPHRASE}.
 */
public final class IngestCli {
    private IngestCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path templates = null;
        Path booklets = null;
        Path keystore = null;
        Path store = null;
        boolean rescan = false;
        List<Path> inputs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--templates" -> templates = Path.of(args[++i]);
                    case "--booklets" -> booklets = Path.of(args[++i]);
                    case "--keystore" -> keystore = Path.of(args[++i]);
                    case "--store" -> store = Path.of(args[++i]);
                    case "--rescan" -> rescan = true;
                    default -> inputs.add(Path.of(args[i]));
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return usage("an option lacks its value");
        }
        if (templates == null || booklets == null || keystore == null || store == null || inputs.isEmpty()) {
            return usage("missing option or input");
        }
        SecureRandom random = new SecureRandom();
        List<IngestReport> reports = new ArrayList<>();
        try (FileIngestLedger ledger = new FileIngestLedger(Files.createDirectories(store).resolve("ledger.jsonl"));
                FileIdentitySink identity = new FileIdentitySink(store.resolve("identity.jsonl"))) {
            KeyRing keys = KeyRing.load(keystore, KeystorePassphrase.fromEnvironment(System.getenv()));
            BookletCatalog catalog = BookletCatalog.load(templates, booklets);
            PageFrame frame = firstFrame(templates);
            EncryptedBlobStore blobs = new EncryptedBlobStore(new EnvelopeCipher(keys, random),
                    new DirectoryBlobStore(store.resolve("blobs")));
            IngestPipeline pipeline = new IngestPipeline(frame, catalog, ledger, identity, blobs, random);
            for (Path file : files(inputs)) {
                IngestReport r = pipeline.ingest(file.getFileName().toString(), Files.readAllBytes(file), rescan);
                reports.add(r);
                for (IngestReport.PageResult p : r.pages()) {
                    if (p.outcome() == IngestReport.Outcome.QUARANTINED) {
                        System.out.printf("QUARANTINED %s page %d: %s (%s)%n", file, p.index(), p.reason(),
                                p.detail());
                    }
                }
            }
        } catch (IOException e) {
            IngestReport.Summary s = IngestReport.Summary.of(reports);
            System.err.println("ingest stopped: " + e.getMessage() + "; done so far: " + s
                    + "; rerunning the same command is safe");
            return reports.isEmpty() ? 2 : 3;
        }
        IngestReport.Summary s = IngestReport.Summary.of(reports);
        System.out.println(s);
        return s.quarantinedTotal() == 0 ? 0 : 1;
    }

    private static PageFrame firstFrame(Path templates) throws IOException {
        try (Stream<Path> s = Files.list(templates)) {
            Path first = s.filter(p -> p.toString().endsWith(".json")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no template in " + templates));
            try (var in = Files.newInputStream(first)) {
                return BookletTemplate.read(in).frame();
            }
        }
    }

    private static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile).sorted().forEach(out::add);
                }
            } else {
                out.add(in);
            }
        }
        return out;
    }

    private static int usage(String why) {
        System.err.println(why + "\nusage: ingest --templates DIR --booklets FILE --keystore FILE --store DIR"
                + " [--rescan] FILE|DIR...");
        return 2;
    }
}
