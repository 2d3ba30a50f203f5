package org.openmarking.server.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.domain.Mark;
import org.openmarking.domain.scheme.ExamResult;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.domain.scheme.ItemType;
import org.openmarking.domain.scheme.SubjectResult;
import org.openmarking.domain.scheme.SubjectSheet;
import org.openmarking.server.TestPaths;

/** The shipped scheme files, scored against cases worked out by hand (domain.md §4). */
class SchemesTest {
    private static Map<String, ExamScheme> schemes;

    @BeforeAll
    static void load() {
        schemes = SchemeLoader.loadAll(TestPaths.schemes());
    }

    private static ExamScheme scheme(String id) {
        return schemes.get(id);
    }

    /** Marks the first {@code closed} closed items (and coded ones) correct, written items as given. */
    private static SubjectSheet sheet(ExamScheme s, String subject, int closed, int coded, Mark... written) {
        Set<Integer> correct = new HashSet<>();
        Map<Integer, Mark> marks = new HashMap<>();
        int c = 0;
        int k = 0;
        int w = 0;
        for (var item : s.subject(subject).items()) {
            switch (item.type()) {
                case CLOSED -> {
                    if (c++ < closed) {
                        correct.add(item.number());
                    }
                }
                case CODED -> {
                    if (k++ < coded) {
                        correct.add(item.number());
                    }
                }
                case WRITTEN -> marks.put(item.number(), w < written.length ? written[w++] : Mark.ZERO);
            }
        }
        return new SubjectSheet(correct, marks);
    }

    private static Mark[] all(int n, Mark m) {
        return IntStream.range(0, n).mapToObj(i -> m).toArray(Mark[]::new);
    }

    @Test
    void everyShippedSchemeLoads() {
        assertEquals(Set.of("admission-2026", "state-language-2026", "grade9-2016", "grade11-2016"), schemes.keySet());
        var counts = scheme("admission-2026").subject("mathematics").components().get(0).counts();
        assertEquals(Map.of(ItemType.CLOSED, 13, ItemType.CODED, 5, ItemType.WRITTEN, 7), counts);
    }

    @Test
    void allCorrectGivesOneHundredPerSubject() {
        ExamScheme s = scheme("admission-2026");
        Map<String, SubjectSheet> sheets = Map.of(
                "foreign-language", sheet(s, "foreign-language", 23, 0, all(7, Mark.FULL)),
                "native-language", sheet(s, "native-language", 20, 0, all(10, Mark.FULL)),
                "mathematics", sheet(s, "mathematics", 13, 5, all(7, Mark.FULL)));
        ExamResult r = s.score(sheets, false);
        for (SubjectResult sr : r.subjects()) {
            assertEquals(new BigDecimal("100.0"), sr.published(), sr.subjectId());
        }
        assertEquals(new BigDecimal("300.0"), r.total());
    }

    @Test
    void mathematicsWorkedByHand() {
        // 10 closed, 3 coded, written 1, 2/3, 1/2, 1/3, 0, 0, 1:
        // n_written = 1 + 2/3 + 1/2 + 1/3 + 0 + 0 + 1 = 7/2; 2 x 7/2 + 3 + 10 = 20; 25/8 x 20 = 62.5
        ExamScheme s = scheme("admission-2026");
        SubjectResult r = s.score("mathematics", sheet(s, "mathematics", 10, 3,
                Mark.FULL, Mark.TWO_THIRDS, Mark.ONE_HALF, Mark.ONE_THIRD, Mark.ZERO, Mark.ZERO, Mark.FULL));
        assertEquals(new BigDecimal("62.5"), r.published());
        assertEquals("125/2", r.exact().toString());
    }

    @Test
    void foreignLanguageRoundsOnlyAtTheEnd() {
        // 20 closed; written 1, 1/2, 2/3, 1/3, 0, 1, 1/2 -> n_written = 4; 2 x 4 + 20 = 28;
        // 100/37 x 28 = 2800/37 = 75.675... -> 75.7
        ExamScheme s = scheme("admission-2026");
        SubjectResult r = s.score("foreign-language", sheet(s, "foreign-language", 20, 0,
                Mark.FULL, Mark.ONE_HALF, Mark.TWO_THIRDS, Mark.ONE_THIRD, Mark.ZERO, Mark.FULL, Mark.ONE_HALF));
        assertEquals("2800/37", r.exact().toString());
        assertEquals(new BigDecimal("75.7"), r.published());
    }

    @Test
    void wholeAdmissionResultWithEligibility() {
        // native: 12 closed; written 1,1,2/3,1/2,1/3,0,0,1/2,1/3,2/3 -> n_written = 5; 5/2 x (10 + 12) = 55.0
        // total = 62.5 + 75.7 + 55.0 = 193.2 -> eligible for a specialty
        ExamScheme s = scheme("admission-2026");
        Map<String, SubjectSheet> sheets = Map.of(
                "mathematics", sheet(s, "mathematics", 10, 3, Mark.FULL, Mark.TWO_THIRDS, Mark.ONE_HALF, Mark.ONE_THIRD, Mark.ZERO, Mark.ZERO, Mark.FULL),
                "foreign-language", sheet(s, "foreign-language", 20, 0, Mark.FULL, Mark.ONE_HALF, Mark.TWO_THIRDS, Mark.ONE_THIRD, Mark.ZERO, Mark.FULL, Mark.ONE_HALF),
                "native-language", sheet(s, "native-language", 12, 0, Mark.FULL, Mark.FULL, Mark.TWO_THIRDS, Mark.ONE_HALF, Mark.ONE_THIRD,
                        Mark.ZERO, Mark.ZERO, Mark.ONE_HALF, Mark.ONE_THIRD, Mark.TWO_THIRDS));
        ExamResult r = s.score(sheets, false);
        assertEquals(new BigDecimal("55.0"), r.subject("native-language").published());
        assertEquals(new BigDecimal("193.2"), r.total());
        assertTrue(r.eligibility().get("specialty"));
        assertFalse(r.eligibility().get("special-abilities"), "needs a pass in the ability exam");
        assertTrue(s.score(sheets, true).eligibility().get("special-abilities"));
    }

    @Test
    void tiesRoundHalfUp() {
        // 2 closed in mathematics: 25/8 x 2 = 6.25 exactly -> 6.3 (half-even would give 6.2)
        ExamScheme s = scheme("admission-2026");
        assertEquals(new BigDecimal("6.3"), s.score("mathematics", sheet(s, "mathematics", 2, 0)).published());
        // 1 closed: 25/8 = 3.125 -> 3.1
        assertEquals(new BigDecimal("3.1"), s.score("mathematics", sheet(s, "mathematics", 1, 0)).published());
    }

    @Test
    void specialtyNeedsTenInMathematicsAndNativeLanguage() {
        // foreign all correct (100) + native 20 closed (50.0) + mathematics 3 closed (9.375 -> 9.4):
        // total 159.4 >= 50 but mathematics 9.4 < 10
        ExamScheme s = scheme("admission-2026");
        ExamResult r = s.score(Map.of(
                "foreign-language", sheet(s, "foreign-language", 23, 0, all(7, Mark.FULL)),
                "native-language", sheet(s, "native-language", 20, 0),
                "mathematics", sheet(s, "mathematics", 3, 0)), true);
        assertEquals(new BigDecimal("9.4"), r.subject("mathematics").published());
        assertEquals(new BigDecimal("159.4"), r.total());
        assertFalse(r.eligibility().get("specialty"));
        assertTrue(r.eligibility().get("special-abilities"));
    }

    @Test
    void stateLanguagePassesAtFifteen() {
        ExamScheme s = scheme("state-language-2026");
        // 13 closed + 1 + 2/3 + 1/3 = 15 -> pass; 13 + 1 + 1/2 + 1/3 = 14 5/6 -> 14.8 -> fail
        ExamResult pass = s.score(Map.of("state-language", sheet(s, "state-language", 13, 0, Mark.FULL, Mark.TWO_THIRDS, Mark.ONE_THIRD)), false);
        ExamResult fail = s.score(Map.of("state-language", sheet(s, "state-language", 13, 0, Mark.FULL, Mark.ONE_HALF, Mark.ONE_THIRD)), false);
        assertEquals(new BigDecimal("15.0"), pass.total());
        assertEquals(Optional.of(true), pass.passed());
        assertEquals(new BigDecimal("14.8"), fail.total());
        assertEquals(Optional.of(false), fail.passed());
        assertEquals(2, s.passValidYears());
    }

    @Test
    void grade9Of2016HasTwoStagesAndASeparateEssay() {
        ExamScheme s = scheme("grade9-2016");
        // native: stage I ten written at 1/2 -> n_open 5 -> 2x5 + 7 closed = 17;
        //         stage II 20 of 30 closed -> 7/3 x 20 = 140/3; 17 + 140/3 = 191/3 = 63.67 -> 63.7
        // mathematics: stage I ten written at 2/3 -> 3 x 20/3 = 20; stage II 30 closed -> 70; 90.0
        // essay 1/2 -> 10 x 1/2 = 5.0, reported apart from the total 153.7
        Set<Integer> nativeCorrect = new HashSet<>();
        IntStream.rangeClosed(11, 17).forEach(nativeCorrect::add);
        IntStream.rangeClosed(21, 40).forEach(nativeCorrect::add);
        Map<Integer, Mark> nativeWritten = new HashMap<>();
        IntStream.rangeClosed(1, 10).forEach(i -> nativeWritten.put(i, Mark.ONE_HALF));
        Set<Integer> mathCorrect = new HashSet<>();
        IntStream.rangeClosed(11, 40).forEach(mathCorrect::add);
        Map<Integer, Mark> mathWritten = new HashMap<>();
        IntStream.rangeClosed(1, 10).forEach(i -> mathWritten.put(i, Mark.TWO_THIRDS));
        ExamResult r = s.score(Map.of(
                "native-language", new SubjectSheet(nativeCorrect, nativeWritten),
                "mathematics", new SubjectSheet(mathCorrect, mathWritten),
                "essay", new SubjectSheet(Set.of(), Map.of(1, Mark.ONE_HALF))), false);
        assertEquals("191/3", r.subject("native-language").exact().toString());
        assertEquals(new BigDecimal("63.7"), r.subject("native-language").published());
        assertEquals(new BigDecimal("90.0"), r.subject("mathematics").published());
        assertEquals(new BigDecimal("5.0"), r.subject("essay").published());
        assertEquals(new BigDecimal("153.7"), r.total());
    }

    @Test
    void grade11Of2016ReadsGradesFromCounts() {
        ExamScheme s = scheme("grade11-2016");
        assertEquals(Optional.of(4), s.score("mathematics", sheet(s, "mathematics", 17, 0)).grade());
        assertEquals(Optional.of(3), s.score("mathematics", sheet(s, "mathematics", 16, 0)).grade());
        assertEquals(Optional.of(2), s.score("native-language", sheet(s, "native-language", 7, 0)).grade());
        assertEquals(Optional.of(3), s.score("native-language", sheet(s, "native-language", 8, 0)).grade());
        assertEquals(Optional.of(5), s.score("chemistry", sheet(s, "chemistry", 25, 0)).grade());
        assertEquals(Optional.of(2), s.score("foreign-language", sheet(s, "foreign-language", 6, 0)).grade());
    }

    @Test
    void aScoreIsNeverComputedFromMissingMarks() {
        ExamScheme s = scheme("admission-2026");
        SubjectSheet incomplete = new SubjectSheet(Set.of(1), Map.of(19, Mark.FULL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.score("mathematics", incomplete));
        assertTrue(e.getMessage().contains("written item 20 has no final mark"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.score("mathematics", new SubjectSheet(Set.of(19), Map.of())));
    }

    @Test
    void tiesAreBrokenByCertificateThenMathematicsThenNativeLanguage() {
        ExamScheme s = scheme("admission-2026");
        ExamResult a = s.score(Map.of("mathematics", sheet(s, "mathematics", 13, 5, all(7, Mark.FULL)),
                "native-language", sheet(s, "native-language", 0, 0)), false); // 100 + 0
        ExamResult b = s.score(Map.of("mathematics", sheet(s, "mathematics", 0, 0),
                "native-language", sheet(s, "native-language", 20, 0, all(10, Mark.FULL))), false); // 0 + 100
        List<ExamScheme.RankedCandidate> list = new ArrayList<>(List.of(
                new ExamScheme.RankedCandidate("b", b, new BigDecimal("4.5")),
                new ExamScheme.RankedCandidate("a", a, new BigDecimal("4.5")),
                new ExamScheme.RankedCandidate("c", a, new BigDecimal("4.8"))));
        list.sort(s.ranking());
        assertEquals(List.of("c", "a", "b"), list.stream().map(ExamScheme.RankedCandidate::reference).toList());
        assertEquals(0, s.ranking().compare(list.get(1), new ExamScheme.RankedCandidate("a2", a, new BigDecimal("4.5"))),
                "candidates still tied compare equal and are all admitted");
    }

    // --- invalid files are refused with file, field and reason -------------------------

    private static String shipped(String name) throws IOException {
        return Files.readString(TestPaths.schemes().resolve(name));
    }

    private static String refusal(Path dir, String json) throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, json);
        return assertThrows(SchemeLoader.InvalidSchemeException.class, () -> SchemeLoader.load(f)).getMessage();
    }

    /** The node itself refuses to start on a broken scheme file, naming file, field and reason, before it opens anything. */
    @Test
    void aNodeRefusesToStartOnAnInvalidSchemeFile(@TempDir Path dir) throws IOException {
        Path schemes = Files.createDirectories(dir.resolve("schemes"));
        Files.writeString(schemes.resolve("state-language-2026.json"), shipped("state-language-2026.json"));
        Files.writeString(schemes.resolve("typo.json"), shipped("admission-2026.json").replace("\"25/8\"", "\"25/9\""));
        java.util.Map<String, String> env = java.util.Map.of("OPENMARKING_DATA_DIR", dir.resolve("data").toString(),
                "OPENMARKING_SCHEMES_DIR", schemes.toString(), "OPENMARKING_ADMIN_PASSWORD", "a long first password",
                "OPENMARKING_KEYSTORE_PASSPHRASE", "correct horse", "OPENMARKING_HTTPS_PORT", "0", "OPENMARKING_FACE_CHECKS", "off");
        org.openmarking.server.config.ServerConfig config = org.openmarking.server.config.ConfigLoader.load(java.util.Optional.empty(), env);
        Exception e = assertThrows(Exception.class,
                () -> org.openmarking.server.ServerApp.start(config, env, java.time.Clock.systemUTC(), r -> { }).close());
        assertTrue(e.getMessage().contains("typo.json: subjects[2].maxScore: declared 100 but all items correct give 800/9"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("data").resolve("postgres")), "no database was started");
    }

    @Test
    void aMistypedCoefficientIsCaughtAtLoad(@TempDir Path dir) throws IOException {
        String msg = refusal(dir, shipped("admission-2026.json").replace("\"25/8\"", "\"25/9\""));
        assertTrue(msg.contains("broken.json: subjects[2].maxScore: declared 100 but all items correct give 800/9"), msg);
    }

    @Test
    void unknownFieldsAndBadValuesNameTheirPlace(@TempDir Path dir) throws IOException {
        String typo = refusal(dir, shipped("state-language-2026.json").replace("\"passMark\"", "\"passmark\""));
        assertTrue(typo.contains("broken.json: passmark: unknown field"), typo);
        String range = refusal(dir, shipped("state-language-2026.json").replace("\"5-14\"", "\"14-5\""));
        assertTrue(range.contains("subjects[0].components[0].items[2].numbers: '14-5' is not an item number or range"), range);
        String type = refusal(dir, shipped("state-language-2026.json").replace("\"type\": \"written\"", "\"type\": \"essay\""));
        assertTrue(type.contains("items[1].type: 'essay' is not an item type"), type);
        String dup = refusal(dir, shipped("state-language-2026.json").replace("\"numbers\": \"22\"", "\"numbers\": \"21\""));
        assertTrue(dup.contains("item 21 appears twice"), dup);
        String json = refusal(dir, "{ \"id\": ");
        assertTrue(json.contains("broken.json: not valid JSON"), json);
    }
}
