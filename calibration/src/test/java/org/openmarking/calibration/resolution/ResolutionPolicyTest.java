package org.openmarking.calibration.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.domain.Mark;

class ResolutionPolicyTest {
    static final String RESPONSE = "R-000001";

    /**
     * Marks written "marker=mark", space separated; a leading "*" marks the senior (third) mark,
     * "-" a withdrawn mark and "~" a mark on a seed.
     */
    static List<GivenMark> marks(String spec) {
        List<GivenMark> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String token : spec.strip().split(" ")) {
            char c = token.charAt(0);
            String body = "*-~".indexOf(c) >= 0 ? token.substring(1) : token;
            String[] kv = body.split("=");
            GivenMark.Kind kind = c == '-' ? GivenMark.Kind.WITHDRAWN : c == '~' ? GivenMark.Kind.SEED : GivenMark.Kind.LIVE;
            out.add(new GivenMark(kv[0], Mark.parse(kv[1]), c == '*', kind));
        }
        return out;
    }

    /** The outcome written "FINAL 1/2", "MORE 1", "SENIOR" or "ADJUDICATE". */
    static String describe(Resolution r) {
        return switch (r.status()) {
            case FINAL -> "FINAL " + ((Resolution.Final) r).mark();
            case NEEDS_MORE_MARKS -> "MORE " + ((Resolution.NeedsMoreMarks) r).missing();
            case NEEDS_SENIOR -> "SENIOR";
            case NEEDS_ADJUDICATION -> "ADJUDICATE";
        };
    }

    @ParameterizedTest(name = "[{index}] policy {0}/{1}%/tol {2}: {3} -> {4}")
    @CsvSource(delimiter = ';', value = {
        // --- double marking, exact agreement (the default) ---
        "2;0;0; ;                          MORE 2",
        "2;0;0; a=1/2;                     MORE 1",
        "2;0;0; a=1/2 b=1/2;               FINAL 1/2",
        "2;0;0; a=1/2 b=2/3;               SENIOR",
        // 2/3 is given by b and the senior: two of three
        "2;0;0; a=1/2 b=2/3 *s=2/3;        FINAL 2/3",
        "2;0;0; a=1/2 b=2/3 *s=1/2;        FINAL 1/2",
        // three different marks: nobody's mark is matched
        "2;0;0; a=1/2 b=2/3 *s=1;          ADJUDICATE",
        // withdrawn and seed marks never count
        "2;0;0; a=1/2 -b=1/2;              MORE 1",
        "2;0;0; a=1/2 ~b=1/2;              MORE 1",
        "2;0;0; a=0 -b=1 c=0;              FINAL 0",
        // b re-marked after withdrawal: only the live mark counts
        "2;0;0; a=1 -b=0 b=1;              FINAL 1",
        // a withdrawn first mark reopens the response even after a senior marked
        "2;0;0; -a=1/2 b=2/3 *s=2/3;       MORE 1",
        // --- tolerance of one step: agreeing marks resolve to their mean, rounded to the scale, ties down ---
        // 1/3 and 1/2 are one step apart; mean 5/12 is 1/12 from both 1/3 (4/12) and 1/2 (6/12): tie, lower
        "2;0;1; a=1/3 b=1/2;               FINAL 1/3",
        // 1/2 and 2/3: mean 7/12, tie between 6/12 and 8/12: 1/2
        "2;0;1; a=2/3 b=1/2;               FINAL 1/2",
        // 1/2 and 1 are two steps apart
        "2;0;1; a=1/2 b=1;                 SENIOR",
        // senior 2/3 is one step from 1/2 and from 1: agrees with both
        "2;0;1; a=1/2 b=1 *s=2/3;          FINAL 2/3",
        // senior 1 is two steps from 1/2 (steps 4 and 2) but zero from b=1: agrees with one of two
        "2;0;1; a=1/2 b=1 *s=1;            FINAL 1",
        // senior 0: four steps from 1, two from 1/2
        "2;0;1; a=1/2 b=1 *s=0;            ADJUDICATE",
        // --- tolerance of two steps ---
        // 0 and 1/2 (steps 0 and 2) agree; mean 1/4 = 3/12: 1/3 is 1/12 away, 0 is 3/12: 1/3
        "2;0;2; a=0 b=1/2;                 FINAL 1/3",
        // 2/3 and 1: mean 5/6 is 1/6 from both: tie, lower 2/3
        "2;0;2; a=2/3 b=1;                 FINAL 2/3",
        "2;0;2; a=0 b=2/3;                 SENIOR",
        // --- three independent marks ---
        "3;0;0; a=1 b=1;                   MORE 1",
        "3;0;0; a=1 b=1 c=1;               FINAL 1",
        "3;0;0; a=1 b=1 c=2/3;             SENIOR",
        // senior matches two of the three: 1 is given by 3 of 4 marks
        "3;0;0; a=1 b=1 c=2/3 *s=1;        FINAL 1",
        // senior matches one of three: 2/3 and 1 tie at two each
        "3;0;0; a=1 b=1 c=2/3 *s=2/3;      ADJUDICATE",
        // --- single marking ---
        "1;0;0; a=1/3;                     FINAL 1/3",
        "1;0;0; ;                          MORE 1",
        // every response second-marked at 100 %
        "1;100;0; a=1/3;                   MORE 1",
        "1;100;0; a=1/3 b=1/2;             SENIOR",
        "1;100;0; a=1/3 b=1/3;             FINAL 1/3",
        // R-000001 falls in bucket 58 (see below): second-marked at 59 %, not at 58 %
        "1;59;0; a=1/3;                    MORE 1",
        "1;58;0; a=1/3;                    FINAL 1/3",
    })
    void resolvesMarksUnderEachPolicySetting(int independent, int percent, int tolerance, String given, String expected) {
        ResolutionPolicy policy = new ResolutionPolicy(independent, percent, tolerance);
        assertEquals(expected.strip(), describe(policy.resolve(RESPONSE, marks(given))));
    }

    /*
     * Buckets pinned from SHA-256 outside Java (Python hashlib, first 8 bytes big-endian mod 100):
     *   R-000001 a1c99155e0cacc92 -> 58, R-000002 d1c6672fe59381ae -> 6,
     *   R-000003 de4e0ba18ee33b4a -> 74, R-000005 ddb347916a61d3db -> 19.
     * Pinning them keeps every node, and every future version, choosing the same responses.
     */
    @ParameterizedTest
    @CsvSource({"R-000001, 58", "R-000002, 6", "R-000003, 74", "R-000005, 19"})
    void bucketIsFixedBySha256OfTheResponseId(String id, int bucket) {
        assertEquals(bucket, ResponseBucket.of(id));
    }

    @ParameterizedTest
    @CsvSource({"20, R-000002, true", "20, R-000005, true", "19, R-000005, false", "20, R-000001, false",
        "0, R-000002, false", "100, R-000003, true"})
    void selectsResponsesForSecondMarkingByBucket(int percent, String id, boolean selected) {
        assertEquals(selected, ResolutionPolicy.singleMarking(percent).secondMarked(id));
        assertEquals(selected ? 2 : 1, ResolutionPolicy.singleMarking(percent).requiredMarks(id));
    }

    @Test
    void secondMarksTheConfiguredShareOfManyResponses() {
        // R-000000 .. R-009999 at 25 %: 2530 selected, counted with the same hash in Python
        ResolutionPolicy policy = ResolutionPolicy.singleMarking(25);
        long selected = IntStream.range(0, 10_000).mapToObj(i -> String.format("R-%06d", i)).filter(policy::secondMarked).count();
        assertEquals(2530, selected);
    }

    @Test
    void doubleMarkingNeverSelectsForExtraMarks() {
        assertEquals(2, ResolutionPolicy.doubleMarking().requiredMarks("R-000002"));
    }

    @Test
    void refusesTwoCountedMarksByOneMarkerOrTwoSeniors() {
        ResolutionPolicy p = ResolutionPolicy.doubleMarking();
        assertThrows(IllegalArgumentException.class, () -> p.resolve(RESPONSE, marks("a=1 a=0")));
        assertThrows(IllegalArgumentException.class, () -> p.resolve(RESPONSE, marks("a=1 b=0 *a=1")));
        assertThrows(IllegalArgumentException.class, () -> p.resolve(RESPONSE, marks("a=1 b=0 *s=1 *t=0")));
    }

    @ParameterizedTest
    @CsvSource({"0,0,0", "2,10,0", "1,101,0", "1,-1,0", "2,0,4", "2,0,-1"})
    void rejectsImpossibleSettings(int independent, int percent, int tolerance) {
        assertThrows(IllegalArgumentException.class, () -> new ResolutionPolicy(independent, percent, tolerance));
    }
}
