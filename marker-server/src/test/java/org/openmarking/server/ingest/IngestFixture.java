package org.openmarking.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.QRCodeDetector;
import org.openmarking.server.crypto.BlobStore;
import org.openmarking.server.crypto.DirectoryBlobStore;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.crypto.EnvelopeCipher;
import org.openmarking.server.crypto.KeyRing;

/** A pipeline over generated scans with in-memory ledger and identity sink, for tests. */
final class IngestFixture {
    static final SecureRandom RANDOM = new SecureRandom();
    static final KeyRing KEYS = KeyRing.random(RANDOM);

    final Path scans;
    final ScanManifest manifest;
    final BookletCatalog catalog;
    final FileIngestLedger ledger;
    final FileIdentitySink identity;
    final DirectoryBlobStore rawStore;
    final EncryptedBlobStore blobs;

    IngestFixture(Path generated, Path store) throws IOException {
        this(generated, new FileIngestLedger(), new FileIdentitySink(), new DirectoryBlobStore(store));
    }

    IngestFixture(Path generated, FileIngestLedger ledger, FileIdentitySink identity, DirectoryBlobStore store)
            throws IOException {
        this.scans = generated.resolve("scans");
        this.manifest = ScanManifest.read(generated.resolve("manifest.json"));
        this.catalog = BookletCatalog.load(generated.resolve("templates"), generated.resolve("booklets.json"));
        this.ledger = ledger;
        this.identity = identity;
        this.rawStore = store;
        this.blobs = new EncryptedBlobStore(new EnvelopeCipher(KEYS, RANDOM), store);
    }

    IngestPipeline pipeline() {
        return pipeline(blobs, identity);
    }

    IngestPipeline pipeline(EncryptedBlobStore b, IdentitySink id) {
        return new IngestPipeline(BookletTemplate.sample().frame(), catalog, ledger, id, b, RANDOM);
    }

    static EncryptedBlobStore encrypted(BlobStore store) {
        return new EncryptedBlobStore(new EnvelopeCipher(KEYS, RANDOM), store);
    }

    List<IngestReport> ingestAll(IngestPipeline p, boolean rescan) throws IOException {
        List<IngestReport> out = new ArrayList<>();
        for (ScanManifest.FileEntry f : manifest.files()) {
            out.add(p.ingest(f.file(), Files.readAllBytes(scans.resolve(f.file())), rescan));
        }
        return out;
    }

    Mat responseImage(String responseId) throws IOException {
        byte[] jpeg = blobs.get(responseId).orElseThrow();
        return Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_GRAYSCALE);
    }

    long storedBlobs() throws IOException {
        try (Stream<Path> s = Files.walk(rawStore.pathOf("x").getParent().getParent().getParent())) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Decodes a content tag QR in a crop, trying a 2x enlargement if needed. */
    static Optional<String> tag(Mat crop) {
        QRCodeDetector d = new QRCodeDetector();
        String s = d.detectAndDecode(crop);
        if (s.isEmpty()) {
            Mat big = new Mat();
            Imgproc.resize(crop, big, new Size(), 2, 2, Imgproc.INTER_CUBIC);
            s = d.detectAndDecode(big);
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /**
     * True if some 2 x 2 mm window of the crop is flat and as grey as the identity
     * canary: only the generator's identity areas have such patches.
     */
    static boolean containsCanary(Mat crop, int dpi) {
        int win = (int) Math.round(2.0 * dpi / 25.4);
        Mat f = new Mat();
        crop.convertTo(f, CvType.CV_32F);
        Mat mean = new Mat();
        Mat sq = new Mat();
        Imgproc.blur(f, mean, new Size(win, win));
        Imgproc.blur(f.mul(f), sq, new Size(win, win));
        Mat var = new Mat();
        Core.subtract(sq, mean.mul(mean), var);
        Mat grey = new Mat();
        Core.inRange(mean, new org.opencv.core.Scalar(SampleScans.CANARY_GREY - 35),
                new org.opencv.core.Scalar(SampleScans.CANARY_GREY + 25), grey);
        Mat flat = new Mat();
        Core.inRange(var, new org.opencv.core.Scalar(0), new org.opencv.core.Scalar(144), flat);
        Mat both = new Mat();
        Core.bitwise_and(grey, flat, both);
        return Core.countNonZero(both) > 0;
    }
}
