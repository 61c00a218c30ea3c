package dev.reward4j.trainers.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The library packages of {@code reward4j-trainers} never depend on its application packages
 * ({@code dev.reward4j.trainers.app..}: command line, demo, report, experiment launcher), so an
 * embedding project gets the library without them.
 */
class LayoutTest {
    static final String APP = "dev.reward4j.trainers.app..";

    /** The rule: nothing outside the application packages depends on them. */
    static final ArchRule LIBRARY_DOES_NOT_USE_APP =
            noClasses()
                    .that()
                    .resideOutsideOfPackage(APP)
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage(APP)
                    .because("library packages must be usable without the application");

    /**
     * The command-line library (an optional dependency, shipped with the launcher only) is used by
     * the application packages alone.
     */
    static final ArchRule ONLY_THE_APPLICATION_USES_PICOCLI =
            noClasses()
                    .that()
                    .resideOutsideOfPackage(APP)
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("picocli..")
                    .because("picocli is an optional dependency of the launcher only");

    static JavaClasses mainClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.reward4j.trainers");
    }

    @Test
    void libraryPackagesDoNotDependOnApplicationPackages() {
        JavaClasses classes = mainClasses();
        // the rule is not vacuous: both sides have classes
        assertTrue(
                classes.stream()
                        .anyMatch(c -> c.getPackageName().startsWith("dev.reward4j.trainers.app.")),
                "application classes imported");
        assertTrue(
                classes.stream()
                                .filter(
                                        c ->
                                                !c.getPackageName()
                                                        .startsWith("dev.reward4j.trainers.app"))
                                .count()
                        > 50,
                "library classes imported");
        LIBRARY_DOES_NOT_USE_APP.check(classes);
        ONLY_THE_APPLICATION_USES_PICOCLI.check(classes);
    }

    @Test
    void thePicocliRuleReportsALibraryClassThatParsesCommandLines() {
        assertTrue(
                ONLY_THE_APPLICATION_USES_PICOCLI
                        .evaluate(
                                new ClassFileImporter()
                                        .importClasses(
                                                dev.reward4j.trainers.architecture.fixture
                                                        .LibraryClassUsingPicocli.class))
                        .hasViolation());
    }

    @Test
    void theRuleReportsALibraryClassThatUsesTheApplication() {
        JavaClasses violating =
                new ClassFileImporter()
                        .importClasses(
                                dev.reward4j.trainers.architecture.fixture.LibraryClassUsingApp
                                        .class,
                                dev.reward4j.trainers.app.launcher.Reward4j.class);
        EvaluationResult result = LIBRARY_DOES_NOT_USE_APP.evaluate(violating);
        assertTrue(result.hasViolation(), "a library class calling the launcher is a violation");
        assertFalse(
                LIBRARY_DOES_NOT_USE_APP
                        .evaluate(
                                new ClassFileImporter()
                                        .importClasses(dev.reward4j.trainers.run.TrainRun.class))
                        .hasViolation(),
                "the library's run orchestration does not use the application");
    }
}
