package org.openmarking.calibration.stats;

/** Arithmetic on the count vectors behind {@link AgreementTable} and {@link MarkDistribution}. */
final class Counts {
    private Counts() {
    }

    /** A new vector holding the element-wise sum; fails rather than overflow. */
    static long[] add(long[] a, long[] b) {
        long[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.addExact(c[i], b[i]);
        }
        return c;
    }

    /** A new vector with one more at {@code index}. */
    static long[] increment(long[] a, int index) {
        long[] c = a.clone();
        c[index]++;
        return c;
    }
}
