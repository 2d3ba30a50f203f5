package org.openmarking.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Candidate identity stays out of marking by construction (domain.md §6): only the
 * {@code identity} package touches candidates, and marking code cannot even name it.
 */
class IdentitySeparationTest {
    private static final JavaClasses SERVER = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openmarking");

    @Test
    void markingAllocationAndSeedingNeverDependOnIdentity() {
        noClasses().that().resideInAnyPackage("..server.marking..", "..server.allocation..", "..server.seeding..", "..server.face..",
                        "..server.dashboard..", "org.openmarking.calibration..", "org.openmarking.seeding..")
                .should().dependOnClassesThat().resideInAPackage("..server.identity..")
                .allowEmptyShould(true)
                .because("markers must never reach who wrote an answer")
                .check(SERVER);
    }

    /** SQL is text, which ArchUnit cannot see: no source outside identity names the identity schema. */
    @Test
    void onlyTheIdentityPackageQueriesTheIdentitySchema() throws IOException {
        Path src = TestPaths.root().resolve("marker-server/src/main/java");
        Pattern sql = Pattern.compile("\\bidentity\\.(candidates|booklet_owners|response_origins|page_identity_images)\\b");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(src)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().contains("/server/identity/"))
                    .filter(p -> {
                        try {
                            return sql.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(p -> src.relativize(p).toString())
                    .toList();
        }
        assertEquals(List.of(), offenders);
    }
}
