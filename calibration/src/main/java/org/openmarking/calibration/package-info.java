/**
 * Calibration of markers: the rule a calibration attempt must meet, the pre-marked sets, and the
 * result with per-item feedback. The gate, statistics and double-marking resolution live in the
 * sub-packages {@code gate}, {@code stats} and {@code resolution}.
 */
package org.openmarking.calibration;
