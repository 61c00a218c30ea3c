package dev.reward4j.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Package rules of {@code reward4j-core}: examples, readers and collators ({@code core.data}) do
 * not depend on tokenization ({@code core.text}), which renders and encodes {@code data}'s
 * examples; {@code core.pipeline} composes the two; there are no package cycles. (That {@code core}
 * and {@code losses} never depend on each other is enforced by the Maven modules: neither declares
 * the other.)
 */
class LayoutTest {
    static final ArchRule DATA_DOES_NOT_USE_TEXT =
            noClasses()
                    .that()
                    .resideInAPackage("dev.reward4j.core.data..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.reward4j.core.text..", "dev.reward4j.core.pipeline..")
                    .because("data holds examples, readers and collators; text depends on data");

    static final ArchRule NO_PACKAGE_CYCLES =
            SlicesRuleDefinition.slices()
                    .matching("dev.reward4j.core.(*)..")
                    .should()
                    .beFreeOfCycles();

    static JavaClasses mainClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.reward4j.core");
    }

    @Test
    void dataDoesNotDependOnTextAndThePackagesHaveNoCycles() {
        JavaClasses classes = mainClasses();
        assertTrue(
                classes.stream()
                                .filter(c -> c.getPackageName().equals("dev.reward4j.core.data"))
                                .count()
                        > 20,
                "core.data classes imported");
        DATA_DOES_NOT_USE_TEXT.check(classes);
        NO_PACKAGE_CYCLES.check(classes);
    }

    @Test
    void theRulesReportADataClassThatUsesText() {
        // the main classes plus one test-only data class that uses the tokenizer
        List<Class<?>> withViolation = new ArrayList<>();
        mainClasses().forEach(c -> withViolation.add(c.reflect()));
        withViolation.add(dev.reward4j.core.data.ArchViolationFixture.class);
        JavaClasses violating = new ClassFileImporter().importClasses(withViolation);
        assertTrue(DATA_DOES_NOT_USE_TEXT.evaluate(violating).hasViolation());
        assertTrue(
                NO_PACKAGE_CYCLES.evaluate(violating).hasViolation(),
                "data -> text -> data is a cycle");
    }
}
