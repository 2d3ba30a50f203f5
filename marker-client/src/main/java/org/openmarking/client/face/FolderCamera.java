package org.openmarking.client.face;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A "camera" that plays the images of a folder (and its subfolders) in name order, over and
 * over: {@code --camera ../shared/data/faces/train/obama}. JPEGs are sent as they are; other
 * formats are re-encoded to JPEG in memory.
 */
public final class FolderCamera implements CameraSource {
    private final Path folder;
    private final List<Path> images;
    private int next;

    public FolderCamera(Path folder) throws IOException {
        this.folder = folder;
        try (Stream<Path> s = Files.walk(folder)) {
            images = s.filter(Files::isRegularFile).filter(FolderCamera::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new IOException("no images (jpg, jpeg, png) in " + folder);
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    @Override
    public synchronized byte[] grab() throws IOException {
        Path p = images.get(next);
        next = (next + 1) % images.size();
        byte[] bytes = Files.readAllBytes(p);
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") ? Jpeg.encode(ImageIO.read(new ByteArrayInputStream(bytes))) : bytes;
    }

    @Override
    public String describe() {
        return "images in " + folder + " (" + images.size() + ")";
    }

    @Override
    public void close() {
        // nothing held open
    }

    /** JPEG encoding in memory only: ImageIO's disk cache is switched off. */
    static final class Jpeg {
        static {
            ImageIO.setUseCache(false);
        }

        private Jpeg() {
        }

        static byte[] encode(BufferedImage image) throws IOException {
            BufferedImage rgb = image;
            if (image.getType() != BufferedImage.TYPE_3BYTE_BGR && image.getType() != BufferedImage.TYPE_INT_RGB) {
                rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(image, 0, 0, null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(rgb, "jpg", out)) {
                throw new IOException("no JPEG writer");
            }
            return out.toByteArray();
        }
    }
}
