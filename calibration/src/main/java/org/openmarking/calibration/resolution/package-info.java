/**
 * Double-marking resolution: from the marks recorded against a live response to what it needs
 * next (more marks, a senior marking, adjudication) or its final mark.
 */
package org.openmarking.calibration.resolution;
