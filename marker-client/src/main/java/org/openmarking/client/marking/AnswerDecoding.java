package org.openmarking.client.marking;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decoding an answer's image bytes into a JavaFX image, in memory only. It runs in the
 * background (the prefetch's work), so the FX thread only puts a finished image on screen.
 */
public final class AnswerDecoding {
    private AnswerDecoding() {
    }

    /**
     * Decodes JPEG or PNG bytes and then zeroes them (and the decoder's own pixel copy): from
     * here on only the returned image holds the answer, and {@link #wipe} clears it.
     */
    public static WritableImage decode(byte[] bytes) throws IOException {
        try {
            // ImageIO.read(InputStream) may buffer the stream in a temporary file (its disk cache);
            // a memory-cached stream keeps the answer off the disk whatever ImageIO.getUseCache() says.
            // ImageIO.read closes it.
            BufferedImage b = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
            if (b == null) {
                throw new IOException("the answer's image is neither JPEG nor PNG");
            }
            int w = b.getWidth();
            int h = b.getHeight();
            int[] argb = b.getRGB(0, 0, w, h, null, 0, w);
            WritableImage image = new WritableImage(w, h);
            image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
            Arrays.fill(argb, 0);
            if (b.getRaster().getDataBuffer() instanceof DataBufferByte d) {
                Arrays.fill(d.getData(), (byte) 0);
            } else if (b.getRaster().getDataBuffer() instanceof DataBufferInt d) {
                Arrays.fill(d.getData(), 0);
            }
            return image;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Overwrites every pixel, so an answer that left the screen does not linger in the heap. */
    public static void wipe(WritableImage image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] blank = new int[w];
        for (int y = 0; y < h; y++) {
            image.getPixelWriter().setPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), blank, 0, w);
        }
    }
}
