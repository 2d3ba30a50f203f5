/**
 * Marking-quality statistics, exact where possible: agreement with definitive marks and with
 * co-markers (exact, within tolerance, mean deviation, quadratic weighted kappa), distributions of
 * marks given and marking rate.
 */
package org.openmarking.calibration.stats;
