package org.openmarking.domain.scheme;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import org.openmarking.domain.Fraction;

/**
 * How an exact score becomes the published number: decimal places and tie rule.
 *
 * <p>The board rounds each relative score to 0.1, half up, and only then adds them up.
 */
public record Rounding(int decimals, RoundingMode mode) {
    public static final Rounding TENTHS_HALF_UP = new Rounding(1, RoundingMode.HALF_UP);

    public Rounding {
        Objects.requireNonNull(mode, "mode");
        if (decimals < 0 || decimals > 6) {
            throw new SchemeException("decimals", "must be between 0 and 6, got " + decimals);
        }
        if (mode == RoundingMode.UNNECESSARY) {
            throw new SchemeException("mode", "UNNECESSARY would fail on 100/37; choose HALF_UP, HALF_EVEN, DOWN or UP");
        }
    }

    public BigDecimal apply(Fraction exact) {
        return exact.round(decimals, mode);
    }
}
