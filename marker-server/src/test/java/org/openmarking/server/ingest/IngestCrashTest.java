package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.server.crypto.BlobStore;
import org.openmarking.server.crypto.DirectoryBlobStore;

/**
 * Kill-and-rerun: a run dies after some number of blob writes or identity links
 * (standing in for a killed process), the ledger and sink are reopened from their
 * journals, the whole batch is run again, and the result must be the same as one
 * clean run: each page once, every committed response linked, nothing lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestCrashTest {
    Path generated;

    @BeforeAll
    void generate(@TempDir Path dir) throws Exception {
        generated = dir.resolve("generated");
        SampleScans.generate(BookletTemplate.sample(), generated, new SampleScans.Options(2, 11, false, 0));
    }

    /** Thrown by the failing stores; nothing catches it but the test. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest(name = "crash after {0} blob writes / {1} identity links")
    @CsvSource({"0, 999", "1, 999", "4, 999", "9, 999", "25, 999", "999, 0", "999, 3", "999, 10"})
    void rerunAfterACrashGivesTheCleanResult(int blobWrites, int links, @TempDir Path run) throws Exception {
        Path ledgerFile = run.resolve("ledger.jsonl");
        Path identityFile = run.resolve("identity.jsonl");
        DirectoryBlobStore store = new DirectoryBlobStore(run.resolve("blobs"));

        try (FileIngestLedger ledger = new FileIngestLedger(ledgerFile);
                FileIdentitySink sink = new FileIdentitySink(identityFile)) {
            IngestFixture fx = new IngestFixture(generated, ledger, sink, store);
            IdentitySink failingSink = failing(sink, links);
            IngestPipeline dying = fx.pipeline(IngestFixture.encrypted(failing(store, blobWrites)), failingSink);
            assertThrows(Crash.class, () -> fx.ingestAll(dying, false));
        }
        // a torn last line, as if the process died mid-write
        Files.writeString(ledgerFile, "{\"page\":{\"scan\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (FileIngestLedger ledger = new FileIngestLedger(ledgerFile);
                FileIdentitySink sink = new FileIdentitySink(identityFile)) {
            IngestFixture fx = new IngestFixture(generated, ledger, sink, store);
            IngestReport.Summary s = IngestReport.Summary.of(fx.ingestAll(fx.pipeline(), false));
            int pages = fx.manifest.files().stream().mapToInt(f -> f.pages().size()).sum();
            assertEquals(pages, s.ingested() + s.duplicates(), s.toString());
            assertEquals(0, s.quarantinedTotal(), s.toString());

            List<IngestLedger.PageRecord> records = ledger.pages();
            assertEquals(pages, records.size(), "one page record per page");
            assertTrue(records.stream().allMatch(IngestLedger.PageRecord::active));
            Set<PageCode> codes = records.stream().map(IngestLedger.PageRecord::code).collect(Collectors.toSet());
            assertEquals(pages, codes.size());
            for (ScanManifest.FileEntry f : fx.manifest.files()) {
                for (ScanManifest.PageEntry p : f.pages()) {
                    IngestLedger.PageRecord r = ledger.findActivePage(
                            new PageCode(fx.manifest.examId(), p.bookletId(), p.page())).orElseThrow();
                    assertEquals(p.boxes().size(), r.responseIds().size());
                    for (String id : r.responseIds()) {
                        assertEquals(p.workNumber(), sink.linkOf(id).orElseThrow().workNumber());
                        assertTrue(fx.blobs.get(id).isPresent(), "response image stored");
                    }
                }
            }
            int expectedResponses = fx.manifest.files().stream().flatMap(f -> f.pages().stream())
                    .mapToInt(p -> p.boxes().size()).sum();
            assertEquals(expectedResponses, ledger.responses().size(), "no response twice");
        }
    }

    private static BlobStore failing(BlobStore store, int allowedWrites) {
        int[] left = {allowedWrites};
        return new BlobStore() {
            @Override
            public boolean putIfAbsent(String id, byte[] bytes) throws IOException {
                if (left[0]-- <= 0) {
                    throw new Crash();
                }
                return store.putIfAbsent(id, bytes);
            }

            @Override
            public Optional<byte[]> get(String id) throws IOException {
                return store.get(id);
            }

            @Override
            public boolean exists(String id) throws IOException {
                return store.exists(id);
            }

            @Override
            public boolean erase(String id) throws IOException {
                return store.erase(id);
            }
        };
    }

    private static IdentitySink failing(IdentitySink sink, int allowedLinks) {
        int[] left = {allowedLinks};
        return new IdentitySink() {
            @Override
            public void link(IdentityLink link) {
                if (left[0]-- <= 0) {
                    throw new Crash();
                }
                sink.link(link);
            }

            @Override
            public void identityImage(IdentityImage image) {
                sink.identityImage(image);
            }
        };
    }
}
