/**
 * Seeding: when a marker is served a seed (a pre-marked answer mixed into live work), and the
 * policy that warns or suspends a marker from their seed results.
 */
package org.openmarking.seeding;
