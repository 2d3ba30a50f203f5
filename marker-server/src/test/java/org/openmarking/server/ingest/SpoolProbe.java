package org.openmarking.server.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Looks for plaintext of uploaded files in a spool folder: what "no plaintext image at rest" means in tests. */
final class SpoolProbe {
    /** Magic numbers a scan file starts with: JPEG, PNG, TIFF (both byte orders), PDF. */
    static final List<byte[]> MAGICS = List.of(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, new byte[] {'I', 'I', '*', 0},
            new byte[] {'M', 'M', 0, '*'}, "%PDF-".getBytes(StandardCharsets.US_ASCII));

    private SpoolProbe() {
    }

    /**
     * Every finding of plaintext in the files under {@code dir}: a 64-byte slice (start, middle and
     * end) of any of {@code originals} anywhere in a file, a scan magic number at a file's start,
     * and the long (PNG, PDF) magic numbers anywhere (the 3- and 4-byte ones would turn up in
     * megabytes of random ciphertext by chance). Empty means clean.
     */
    static List<String> plaintextIn(Path dir, List<byte[]> originals) throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            byte[] content;
            try {
                content = Files.readAllBytes(f);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // deleted while we looked
            }
            for (int i = 0; i < originals.size(); i++) {
                byte[] o = originals.get(i);
                for (int at : new int[] {0, o.length / 2, o.length - 64}) {
                    if (at >= 0 && o.length >= 64 && indexOf(content, Arrays.copyOfRange(o, at, at + 64)) >= 0) {
                        found.add(f.getFileName() + " holds bytes " + at + "..+64 of upload " + i);
                    }
                }
            }
            for (byte[] magic : MAGICS) {
                boolean atStart = content.length >= magic.length && Arrays.equals(content, 0, magic.length, magic, 0, magic.length);
                if (atStart || (magic.length >= 5 && indexOf(content, magic) >= 0)) {
                    found.add(f.getFileName() + " holds the magic number " + Arrays.toString(magic));
                }
            }
        }
        return found;
    }

    /** The files under {@code dir} (a missing folder has none). */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
