package org.openmarking.calibration.stats;

import java.util.Objects;
import java.util.Optional;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

/**
 * An agreement summary: the figures a chief examiner's dashboard shows for one marker on one task,
 * all exact.
 *
 * <p>For an empty table ({@code count == 0}) every rate and mean is zero and the kappa is empty:
 * read {@code count} first, because zero agreement and no evidence look alike otherwise.
 *
 * @param count                 number of pairs compared
 * @param exactRate             share in exact agreement
 * @param toleranceSteps        the tolerance used for {@code withinToleranceRate}, in scale steps
 * @param withinToleranceRate   share within {@code toleranceSteps}
 * @param meanSignedDeviation   mean (marker - reference) in points; below zero severe, above zero lenient
 * @param meanAbsoluteDeviation mean |marker - reference| in points
 * @param quadraticWeightedKappa Cohen's QWK; empty when undefined (see {@link AgreementTable#quadraticWeightedKappa()})
 */
public record AgreementSummary(long count, Fraction exactRate, int toleranceSteps, Fraction withinToleranceRate,
                               Fraction meanSignedDeviation, Fraction meanAbsoluteDeviation,
                               Optional<Fraction> quadraticWeightedKappa) {
    public AgreementSummary {
        Objects.requireNonNull(exactRate, "exactRate");
        Objects.requireNonNull(withinToleranceRate, "withinToleranceRate");
        Objects.requireNonNull(meanSignedDeviation, "meanSignedDeviation");
        Objects.requireNonNull(meanAbsoluteDeviation, "meanAbsoluteDeviation");
        Objects.requireNonNull(quadraticWeightedKappa, "quadraticWeightedKappa");
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        checkTolerance(toleranceSteps);
    }

    /** Summarises a table, counting pairs within {@code toleranceSteps} scale steps as within tolerance. */
    public static AgreementSummary of(AgreementTable table, int toleranceSteps) {
        checkTolerance(toleranceSteps);
        return new AgreementSummary(table.total(), table.exactRate(), toleranceSteps, table.withinRate(toleranceSteps),
                table.meanSignedDeviation(), table.meanAbsoluteDeviation(), table.quadraticWeightedKappa());
    }

    private static void checkTolerance(int toleranceSteps) {
        if (toleranceSteps < 0 || toleranceSteps >= Mark.SCALE_SIZE) {
            throw new IllegalArgumentException("tolerance " + toleranceSteps + " is not between 0 and " + (Mark.SCALE_SIZE - 1) + " steps");
        }
    }
}
