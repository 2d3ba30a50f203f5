package org.openmarking.server.ingest;

/** An axis-aligned rectangle on the printed page, in millimetres from the top-left corner. */
public record RectMm(double xMm, double yMm, double wMm, double hMm) {
    public RectMm {
        if (!(wMm > 0 && hMm > 0)) {
            throw new IllegalArgumentException("rectangle needs a positive size: " + wMm + " x " + hMm);
        }
    }

    public double right() {
        return xMm + wMm;
    }

    public double bottom() {
        return yMm + hMm;
    }

    /** This rectangle grown by {@code mm} on every side. */
    public RectMm grow(double mm) {
        return new RectMm(xMm - mm, yMm - mm, wMm + 2 * mm, hMm + 2 * mm);
    }

    /** True if the two rectangles share any area. */
    public boolean intersects(RectMm o) {
        return xMm < o.right() && o.xMm < right() && yMm < o.bottom() && o.yMm < bottom();
    }

    public boolean within(double widthMm, double heightMm) {
        return xMm >= 0 && yMm >= 0 && right() <= widthMm && bottom() <= heightMm;
    }

    /** Width in pixels at {@code dpi}. */
    public int widthPx(int dpi) {
        return (int) Math.round(wMm * dpi / 25.4);
    }

    /** Height in pixels at {@code dpi}. */
    public int heightPx(int dpi) {
        return (int) Math.round(hMm * dpi / 25.4);
    }
}
