/**
 * The calibration gate: the state machine by which a marker earns, loses and regains the right to
 * live-mark a task, with the full history of attempts and chief-examiner decisions.
 */
package org.openmarking.calibration.gate;
