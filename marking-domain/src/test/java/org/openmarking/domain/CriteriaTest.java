package org.openmarking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmarking.domain.criteria.Clause;
import org.openmarking.domain.criteria.Criteria;
import org.openmarking.domain.criteria.CriteriaVersion;

class CriteriaTest {
    private static final Instant T = Instant.parse("2026-04-13T08:00:00Z");

    private static CriteriaVersion version(int v, boolean recalibrate) {
        return new CriteriaVersion("math-19", v, T.plusSeconds(v), "chief", "v" + v,
                List.of(new Clause(1, "Correct equation and answer", Mark.FULL), new Clause(2, "Correct method, slip", Mark.TWO_THIRDS)),
                recalibrate);
    }

    @Test
    void theNewestPublishedVersionIsInForce() {
        Criteria c = Criteria.empty("math-19");
        assertTrue(c.inForce().isEmpty());
        c = c.publish(version(1, false)).publish(version(2, true));
        assertEquals(2, c.inForce().orElseThrow().version());
        assertTrue(c.isInForce(2));
        assertFalse(c.isInForce(1), "a mark made under superseded criteria is refused");
        assertEquals(Mark.TWO_THIRDS, c.inForce().orElseThrow().clause(2).orElseThrow().mark());
    }

    @Test
    void versionsCannotBeSkippedOrRewritten() {
        Criteria c = Criteria.empty("math-19").publish(version(1, false));
        assertThrows(IllegalArgumentException.class, () -> c.publish(version(3, false)));
        assertThrows(IllegalArgumentException.class, () -> new CriteriaVersion("t", 1, T, "", "", List.of(
                new Clause(1, "a", Mark.FULL), new Clause(1, "b", Mark.ZERO)), false));
    }
}
