package org.openmarking.server;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openmarking.server.ingest.IngestService;
import org.openmarking.server.ingest.PgIngestStore;

/**
 * Candidate identity stays out of marking by construction (domain.md §6): only the
 * {@code identity} package touches candidates, in Java and in SQL, and everything that
 * markers, checkers and dashboards run cannot even name it.
 */
class IdentitySeparationTest {
    private static final String IDENTITY = "org.openmarking.server.identity..";

    /**
     * The packages whose code serves markers, quality checks, face checks and dashboards, and
     * the shared libraries they use: none may reach identity, with no exception, ever. Each
     * must hold classes, so a rename fails here instead of leaving the rule about nothing.
     */
    static final List<String> NEVER_IDENTITY = List.of(
            "org.openmarking.server.marking..", "org.openmarking.server.quality..", "org.openmarking.server.seeding..",
            "org.openmarking.server.calibration..", "org.openmarking.server.presence..", "org.openmarking.server.face..",
            "org.openmarking.server.push..", "org.openmarking.server.exam..", "org.openmarking.server.dashboard..",
            "org.openmarking.server.audit..", "org.openmarking.server.account..",
            "org.openmarking.calibration..", "org.openmarking.seeding..", "org.openmarking.domain..");

    private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openmarking");

    static List<String> neverIdentity() {
        return NEVER_IDENTITY;
    }

    @ParameterizedTest
    @MethodSource("neverIdentity")
    void everyPackageNamedHereHoldsClasses(String pkg) {
        assertFalse(CLASSES.that(resideInAPackage(pkg)).isEmpty(), pkg + " has no classes: renamed? update NEVER_IDENTITY");
    }

    @Test
    void markerFacingCodeNeverDependsOnIdentity() {
        noClasses().that(resideInAnyPackage(NEVER_IDENTITY.toArray(String[]::new)))
                .should().dependOnClassesThat().resideInAPackage(IDENTITY)
                .because("markers must never reach who wrote an answer")
                .check(CLASSES);
    }

    /**
     * Everything else outside identity is kept out too, except ingest's two writers of the
     * identity side, which must write it in the transaction of the rows it belongs to:
     * {@link PgIngestStore} links each response to its candidate's page and stores identity
     * crops when it commits a scanned page; {@link IngestService} registers candidates with
     * the booklets issued to them, and counts them for the exam's ingest status. Results and
     * appeals, when they come, are the next legitimate callers; add them here by class.
     */
    @Test
    void onlyIngestsWritersDependOnIdentity() {
        noClasses().that().resideOutsideOfPackage(IDENTITY).and(not(belongToAnyOf(PgIngestStore.class, IngestService.class)))
                .should().dependOnClassesThat().resideInAPackage(IDENTITY)
                .because("identity lives only in the identity package; ingest writes it at the boundary")
                .check(CLASSES);
    }

    /** SQL is text, which ArchUnit cannot see: no string outside identity names the identity schema. */
    @Test
    void onlyTheIdentityPackageQueriesTheIdentitySchema() throws IOException {
        SqlScan scan = new SqlScan(identityTables());
        Path src = TestPaths.root().resolve("marker-server/src/main/java");
        List<Path> sources = files(src, p -> p.toString().endsWith(".java"));
        List<String> offenders = new ArrayList<>();
        boolean identityPackageSeen = false;
        for (Path p : sources) {
            List<String> hits = scan.javaStrings(Files.readString(p));
            if (src.relativize(p).toString().startsWith("org/openmarking/server/identity/")) {
                identityPackageSeen |= !hits.isEmpty();
            } else if (!hits.isEmpty()) {
                offenders.add(src.relativize(p) + ": " + hits);
            }
        }
        assertTrue(identityPackageSeen, "the scan found no identity SQL even in the identity package: the scan is broken");
        assertEquals(List.of(), offenders);
    }

    /**
     * Resources (dashboard scripts, OpenAPI documents, templates) name no identity table
     * either. The Flyway migrations are the one exception: they define the identity schema.
     */
    @Test
    void noResourceButTheMigrationsNamesTheIdentitySchema() throws IOException {
        SqlScan scan = new SqlScan(identityTables());
        Path resources = TestPaths.root().resolve("marker-server/src/main/resources");
        List<String> offenders = new ArrayList<>();
        boolean migrationsSeen = false;
        for (Path p : files(resources, Files::isRegularFile)) {
            if (isBinary(p)) {
                continue;
            }
            List<String> hits = scan.text(Files.readString(p));
            if (resources.relativize(p).startsWith("db/migration")) {
                migrationsSeen |= !hits.isEmpty();
            } else if (!hits.isEmpty()) {
                offenders.add(resources.relativize(p) + ": " + hits);
            }
        }
        assertTrue(migrationsSeen, "the scan found nothing even in the migrations that create the identity schema");
        assertEquals(List.of(), offenders);
    }

    /** The identity tables as the migrations create them, so a new one is covered at once. */
    private static Set<String> identityTables() throws IOException {
        Pattern create = Pattern.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?\"?identity\"?\\.\"?(\\w+)");
        Set<String> tables = new TreeSet<>();
        for (Path p : files(TestPaths.root().resolve("marker-server/src/main/resources/db/migration"), f -> f.toString().endsWith(".sql"))) {
            Matcher m = create.matcher(Files.readString(p));
            while (m.find()) {
                tables.add(m.group(1).toLowerCase());
            }
        }
        assertTrue(tables.containsAll(Set.of("candidates", "booklet_owners", "response_origins")), "identity tables found: " + tables);
        return tables;
    }

    private static List<Path> files(Path root, java.util.function.Predicate<Path> filter) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(filter).sorted().toList();
        }
    }

    private static boolean isBinary(Path p) {
        try {
            byte[] head = Files.readAllBytes(p);
            for (int i = 0; i < Math.min(head.length, 8000); i++) {
                if (head[i] == 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What counts as naming the identity schema: an identity table, qualified or reached
     * through a search_path after a SQL keyword; {@code identity.<anything>} in text that reads
     * as SQL, so a table added later counts before this test learns its name (a file name such
     * as {@code identity.jsonl} does not); a search_path or currentSchema beside the word identity.
     */
    static final class SqlScan {
        /** Comments, text blocks, strings and char literals, so quotes inside comments do not mislead. */
        private static final Pattern TOKENS = Pattern.compile(
                "//[^\\n]*|/\\*[\\s\\S]*?\\*/|\"\"\"[ \\t]*\\n([\\s\\S]*?)\"\"\"|\"((?:\\\\.|[^\"\\\\\\n])*)\"|'(?:\\\\.|[^'\\\\\\n])+'");
        private static final Pattern CONCATENATION = Pattern.compile("\\s*\\+\\s*");
        /** A schema-qualified name; quotes may be escaped (Java source) or not (resources). */
        private static final String QUALIFIER = "\\b(?<!\\.)identity\\\\?\"?\\s*\\.\\s*\\\\?\"?";
        private static final Pattern QUALIFIED_ANY = Pattern.compile("(?i)" + QUALIFIER + "[a-z_]");
        private static final Pattern SQL_WORD = Pattern.compile(
                "(?i)\\b(select|insert|update|delete|from|join|into|table|references|truncate|alter|create|where|grant)\\b");
        private static final Pattern SCHEMA_SETTING = Pattern.compile("(?i)\\b(search_path|currentschema)\\b");
        private static final Pattern IDENTITY_WORD = Pattern.compile("(?i)\\bidentity\\b");
        private final Pattern qualifiedTable;
        private final Pattern tableAfterKeyword;

        SqlScan(Set<String> identityTables) {
            String table = "\\\\?\"?(" + String.join("|", identityTables) + ")\\b";
            qualifiedTable = Pattern.compile("(?i)" + QUALIFIER + "(" + String.join("|", identityTables) + ")\\b");
            tableAfterKeyword = Pattern.compile("(?i)\\b(from|join|into|update|table|references|truncate|on)\\s+(only\\s+)?" + table);
        }

        /** The string literals of Java source (concatenated pieces joined) that name identity. */
        List<String> javaStrings(String source) {
            List<String> strings = new ArrayList<>();
            Matcher m = TOKENS.matcher(source);
            int lastStringEnd = -1;
            while (m.find()) {
                String literal = m.group(1) != null ? m.group(1) : m.group(2);
                if (literal == null) {
                    lastStringEnd = -1;
                    continue;
                }
                boolean joined = lastStringEnd >= 0 && CONCATENATION.matcher(source.substring(lastStringEnd, m.start())).matches();
                if (joined) {
                    strings.set(strings.size() - 1, strings.get(strings.size() - 1) + literal);
                } else {
                    strings.add(literal);
                }
                lastStringEnd = m.end();
            }
            List<String> hits = strings.stream().filter(s -> names(s)).collect(Collectors.toCollection(ArrayList::new));
            // a search_path set by key and value, e.g. Map.of("search_path", "identity")
            if (strings.stream().anyMatch(s -> SCHEMA_SETTING.matcher(s).find()) && strings.stream().anyMatch(s -> IDENTITY_WORD.matcher(s).find())) {
                hits.add("search_path or currentSchema beside \"identity\"");
            }
            return hits;
        }

        /** The lines of a resource that name identity. */
        List<String> text(String content) {
            return content.lines().filter(this::names).map(String::strip).toList();
        }

        private boolean names(String s) {
            return qualifiedTable.matcher(s).find() || tableAfterKeyword.matcher(s).find()
                    || (QUALIFIED_ANY.matcher(s).find() && SQL_WORD.matcher(s).find())
                    || (SCHEMA_SETTING.matcher(s).find() && IDENTITY_WORD.matcher(s).find());
        }
    }
}
