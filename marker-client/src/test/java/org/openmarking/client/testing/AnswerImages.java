package org.openmarking.client.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Answer images for tests: a page of "handwriting" made in memory, PNG-encoded without ImageIO's disk cache. */
public final class AnswerImages {
    static {
        ImageIO.setUseCache(false);
    }

    private AnswerImages() {
    }

    public static byte[] page(String label, long seed) {
        BufferedImage img = new BufferedImage(900, 1200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 900, 1200);
        g.setColor(new Color(200, 215, 235));
        for (int y = 120; y < 1200; y += 40) {
            g.drawLine(40, y, 860, y);
        }
        g.setColor(new Color(20, 30, 120));
        g.setFont(new Font(Font.SERIF, Font.ITALIC, 30));
        g.drawString(label, 60, 100);
        Random r = new Random(seed);
        g.setStroke(new BasicStroke(2.2f));
        for (int line = 0; line < 18; line++) {
            int y = 150 + line * 40;
            int x = 60;
            while (x < 800) {
                int w = 20 + r.nextInt(70);
                int px = x;
                int py = y;
                for (int s = 0; s < w; s += 6) {
                    int ny = y - r.nextInt(18);
                    g.drawLine(px, py, x + s, ny);
                    px = x + s;
                    py = ny;
                }
                x += w + 14;
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
