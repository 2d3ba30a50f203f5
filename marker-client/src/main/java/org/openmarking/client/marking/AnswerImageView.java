package org.openmarking.client.marking;

import javafx.beans.property.StringProperty;
import javafx.geometry.Bounds;
import javafx.scene.Group;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * The answer image: zoom, pan (drag or arrow keys), fit-to-width and rotation by quarter
 * turns, with the watermark (marker id and time) drawn over it in a tiled, faint pattern.
 *
 * <p>The image arrives decoded in memory ({@link AnswerDecoding}, in the background); it is
 * never written to a file, and {@link #clear(String)} drops it.
 */
public final class AnswerImageView extends Region {
    private static final double MIN_ZOOM = 0.1;
    private static final double MAX_ZOOM = 8;

    private final ImageView imageView = new ImageView();
    private final Group content = new Group(imageView);
    private final Pane watermarkLayer = new Pane();
    private final Text placeholder = new Text();
    private double zoom = 1;
    private int quarterTurns;
    private double panX;
    private double panY;
    private double dragX;
    private double dragY;
    private boolean fitWidthWanted = true;

    public AnswerImageView(StringProperty watermark) {
        getStyleClass().add("answer-image");
        setId("answerImage");
        imageView.setPreserveRatio(true);
        imageView.setSmooth(true);
        imageView.setCache(false);
        watermarkLayer.setMouseTransparent(true);
        watermarkLayer.visibleProperty().bind(imageView.imageProperty().isNotNull());
        for (int i = 0; i < 12; i++) {
            Text t = new Text();
            t.textProperty().bind(watermark);
            t.setFont(Font.font("System", FontWeight.BOLD, 15));
            t.setFill(Color.rgb(200, 30, 30, 0.22));
            t.setRotate(-25);
            t.getStyleClass().add("watermark");
            watermarkLayer.getChildren().add(t);
        }
        placeholder.setFill(Color.gray(0.45));
        placeholder.setFont(Font.font(16));
        getChildren().addAll(content, watermarkLayer, placeholder);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        setStyle("-fx-background-color: #f4f4f0;");
        setOnMousePressed(e -> {
            dragX = e.getX();
            dragY = e.getY();
        });
        setOnMouseDragged(e -> {
            pan(e.getX() - dragX, e.getY() - dragY);
            dragX = e.getX();
            dragY = e.getY();
        });
        setOnScroll(e -> {
            if (e.isControlDown() || e.isShortcutDown()) {
                zoomBy(e.getDeltaY() > 0 ? 1.1 : 1 / 1.1);
            } else {
                pan(e.getDeltaX(), e.getDeltaY());
            }
        });
        widthProperty().addListener((o, a, b) -> {
            if (fitWidthWanted) {
                fitWidth();
            }
        });
    }

    /** Shows an answer's image (decoded in the background, in memory), fitted to the width, unrotated. */
    public void show(Image img) {
        imageView.setImage(img);
        placeholder.setText("");
        quarterTurns = 0;
        fitWidth();
    }

    /** Takes the image off the screen. */
    public void clear(String message) {
        imageView.setImage(null);
        placeholder.setText(message == null ? "" : message);
        requestLayout();
    }

    public boolean hasImage() {
        return imageView.getImage() != null;
    }

    public Image image() {
        return imageView.getImage();
    }

    /** Scales the answer so its (rotated) width fills the view, and scrolls to its top. */
    public void fitWidth() {
        fitWidthWanted = true;
        Image img = imageView.getImage();
        if (img == null || getWidth() <= 0) {
            requestLayout();
            return;
        }
        double w = quarterTurns % 2 == 0 ? img.getWidth() : img.getHeight();
        zoom = clamp(getWidth() / w);
        panX = 0;
        panY = 0;
        apply();
    }

    public void zoomBy(double factor) {
        fitWidthWanted = false;
        zoom = clamp(zoom * factor);
        apply();
    }

    /** Turns the answer a quarter turn clockwise (scans are sometimes sideways). */
    public void rotate() {
        quarterTurns = (quarterTurns + 1) % 4;
        fitWidth();
    }

    public void pan(double dx, double dy) {
        panX += dx;
        panY += dy;
        apply();
    }

    public double zoom() {
        return zoom;
    }

    public int quarterTurns() {
        return quarterTurns;
    }

    private static double clamp(double z) {
        return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
    }

    private void apply() {
        Image img = imageView.getImage();
        if (img == null) {
            return;
        }
        imageView.setFitWidth(img.getWidth() * zoom);
        imageView.setRotate(quarterTurns * 90);
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        Bounds b = content.getLayoutBounds();
        // Horizontally centred when narrower than the view; top-aligned so reading starts at the top.
        double x = b.getWidth() < w ? (w - b.getWidth()) / 2 : 0;
        content.relocate(x - b.getMinX() + panX, -b.getMinY() + panY);
        watermarkLayer.resizeRelocate(0, 0, w, h);
        int cols = 3;
        int rows = 4;
        for (int i = 0; i < watermarkLayer.getChildren().size(); i++) {
            Text t = (Text) watermarkLayer.getChildren().get(i);
            int c = i % cols;
            int r = i / cols;
            t.relocate(w * (c + 0.15) / cols, h * (r + 0.3) / rows);
        }
        placeholder.relocate(24, 40);
    }
}
