package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/**
 * End to end over generated scans: every distortion the generator makes, every
 * quarantine reason, duplicates, rescans, identity separation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestPipelineTest {
    Path tmp;
    Path generated;

    @BeforeAll
    void generate(@TempDir Path dir) throws Exception {
        tmp = dir;
        generated = tmp.resolve("generated");
        SampleScans.generate(BookletTemplate.sample(), generated, new SampleScans.Options(8, 7, true, 0));
    }

    @Test
    void everyAnswerLandsInTheRightResponseForTheRightCandidate() throws Exception {
        IngestFixture fx = new IngestFixture(generated, tmp.resolve("store-a"));
        List<IngestReport> reports = fx.ingestAll(fx.pipeline(), false);
        Map<QuarantineReason, Integer> expectedQuarantine = new EnumMap<>(QuarantineReason.class);
        int expectedIngested = 0;
        int checkedTags = 0;
        int responses = 0;
        Set<String> distortions = new HashSet<>();
        for (int f = 0; f < reports.size(); f++) {
            ScanManifest.FileEntry file = fx.manifest.files().get(f);
            IngestReport report = reports.get(f);
            assertEquals(file.pages().size(), report.pages().size(), file.file());
            for (int p = 0; p < file.pages().size(); p++) {
                ScanManifest.PageEntry want = file.pages().get(p);
                IngestReport.PageResult got = report.pages().get(p);
                String where = file.file() + " page " + p + " " + want.distortion();
                assertEquals(want.expect(), got.outcome().name(), where + ": " + got.detail());
                if (want.reason() != null) {
                    assertEquals(want.reason(), got.reason().name(), where);
                    expectedQuarantine.merge(got.reason(), 1, Integer::sum);
                }
                if (got.outcome() != IngestReport.Outcome.INGESTED) {
                    continue;
                }
                expectedIngested++;
                distortions.add(describe(want.distortion()));
                assertEquals(new PageCode(fx.manifest.examId(), want.bookletId(), want.page()), got.code());
                Map<String, String> contents = SampleScans.contents(want);
                assertEquals(contents.size(), got.responseIds().size(), where);
                for (String id : got.responseIds()) {
                    responses++;
                    assertTrue(id.matches("[a-z2-7]{26}"), id);
                    IngestLedger.ResponseRecord r = fx.ledger.responses().stream()
                            .filter(x -> x.responseId().equals(id)).findFirst().orElseThrow();
                    IdentitySink.IdentityLink link = fx.identity.linkOf(id).orElseThrow();
                    assertEquals(want.workNumber(), link.workNumber(), where);
                    assertEquals(want.bookletId(), link.bookletId(), where);
                    assertEquals(r.item(), link.item());
                    String content = contents.get(r.item());
                    assertNotNull(content, where + " item " + r.item());
                    Mat crop = fx.responseImage(id);
                    assertFalse(IngestFixture.containsCanary(crop, 200), where + " item " + r.item()
                            + " shows identity pixels");
                    if (content.equals(ScanManifest.BLANK)) {
                        assertTrue(r.likelyBlank(), where + " item " + r.item() + " ink " + r.inkRatio());
                    } else {
                        assertFalse(r.likelyBlank(), where + " item " + r.item() + " ink " + r.inkRatio());
                        assertEquals(content, IngestFixture.tag(crop).orElse("unreadable"),
                                where + " item " + r.item());
                        checkedTags++;
                    }
                }
            }
        }
        IngestReport.Summary s = IngestReport.Summary.of(reports);
        assertEquals(expectedIngested, s.ingested());
        assertEquals(expectedQuarantine, s.quarantined());
        assertEquals(1, s.duplicates());
        assertEquals(QuarantineReason.values().length, expectedQuarantine.size(), "every reason exercised");
        assertTrue(checkedTags > responses / 2, "tags checked: " + checkedTags);
        assertTrue(distortions.containsAll(List.of("rot+10", "rot-10", "upside-down", "blur", "jpeg<50",
                "scale<1", "scale>1", "noise")), distortions.toString());
        // the identity crops do hold the canary: the check above can see it
        assertTrue(IngestFixture.containsCanary(
                fx.responseImage(fx.identity.images().get(0).blobId()), IngestPipeline.IDENTITY_DPI));
        // quarantined pages keep their original, encrypted
        for (IngestLedger.QuarantineRecord q : fx.ledger.quarantined()) {
            assertTrue(fx.blobs.get(q.scanBlobId()).isPresent(), q.fileName());
        }
    }

    @Test
    void theSameFileAgainIsANoOp() throws Exception {
        IngestFixture fx = new IngestFixture(generated, tmp.resolve("store-b"));
        IngestPipeline p = fx.pipeline();
        fx.ingestAll(p, false);
        long blobs = fx.storedBlobs();
        int responses = fx.ledger.responses().size();
        int links = fx.identity.links().size();
        List<IngestReport> again = fx.ingestAll(p, false);
        IngestReport.Summary s = IngestReport.Summary.of(again);
        assertEquals(s.pages(), s.duplicates() + s.quarantinedTotal(), s.toString());
        assertEquals(fx.ledger.quarantined().size(), s.quarantinedTotal(), "quarantined stay quarantined");
        assertEquals(blobs, fx.storedBlobs());
        assertEquals(responses, fx.ledger.responses().size());
        assertEquals(links, fx.identity.links().size());
    }

    @Test
    void rescanFlagReleasesTheQuarantinedScanReplacesThePageAndKeepsBoth() throws Exception {
        IngestFixture fx = new IngestFixture(generated, tmp.resolve("store-c"));
        IngestPipeline p = fx.pipeline();
        fx.ingestAll(p, false);
        int quarantined = fx.ledger.quarantined().size();
        IngestReport r = p.ingest("zz-rescan.jpg", Files.readAllBytes(fx.scans.resolve("zz-rescan.jpg")), true);
        IngestReport.PageResult page = r.pages().get(0);
        assertEquals(IngestReport.Outcome.RESCANNED, page.outcome(), String.valueOf(page.detail()));
        List<IngestLedger.PageRecord> both = fx.ledger.pages().stream()
                .filter(x -> x.code().equals(page.code())).toList();
        assertEquals(2, both.size());
        assertEquals(1, both.stream().filter(IngestLedger.PageRecord::active).count());
        IngestLedger.PageRecord old = both.stream().filter(x -> !x.active()).findFirst().orElseThrow();
        old.responseIds().forEach(id -> assertTrue(fx.ledger.isSuperseded(id)));
        page.responseIds().forEach(id -> assertFalse(fx.ledger.isSuperseded(id)));
        assertEquals(fx.ledger.findActivePage(page.code()).orElseThrow().responseIds(), page.responseIds());
        assertEquals(quarantined - 1, fx.ledger.quarantined().size());
    }

    private static String describe(ScanManifest.Distortion d) {
        if (d.upsideDown()) {
            return "upside-down";
        }
        if (d.rotationDeg() >= 9.9) {
            return "rot+10";
        }
        if (d.rotationDeg() <= -9.9) {
            return "rot-10";
        }
        if (d.jpegQuality() < 50) {
            return "jpeg<50";
        }
        if (d.blurSigma() > 1.3) {
            return "blur";
        }
        if (d.scale() < 0.96) {
            return "scale<1";
        }
        if (d.scale() > 1.04) {
            return "scale>1";
        }
        return d.noiseSigma() >= 6 ? "noise" : "mild";
    }
}
