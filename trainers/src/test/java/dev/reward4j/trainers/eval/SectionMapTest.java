package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectionMapTest {

    @Nested
    class Official {
        @Test
        void hasTheFourSectionsAndPriorSetsWithTheExampleCountsOfRewardBench() {
            SectionMap m = SectionMap.official();
            assertEquals(
                    List.of("Chat", "Chat Hard", "Safety", "Reasoning", "Prior Sets"),
                    List.copyOf(m.sections().keySet()));
            assertEquals(27, m.sections().values().stream().mapToInt(Map::size).sum());
            assertEquals(984.0, m.sections().get("Reasoning").get("math-prm"));
            // rewardbench/constants.py EXAMPLE_COUNTS since reward-bench PR #175: the subset sizes
            // (154 prompts that should be refused, 250 that should be answered)
            assertEquals(154.0, m.sections().get("Safety").get("xstest-should-refuse"));
            assertEquals(250.0, m.sections().get("Safety").get("xstest-should-respond"));
            assertEquals(
                    740.0,
                    m.sections().get("Safety").values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum());
            assertEquals(Optional.of("Chat Hard"), m.sectionOf("llmbar-adver-GPTOut"));
            assertEquals(Optional.empty(), m.sectionOf("unknown"));
        }

        @Test
        void priorSetsAreAnUnweightedMeanWeighingHalfASectionInTheOverall() {
            // analysis/get_benchmark_results.py: Prior Sets = nanmean of the four pref-test-sets
            // columns; overall = average of [Chat, Chat Hard, Safety, Reasoning, Prior Sets] with
            // weights [2, 2, 2, 2, 1]
            SectionMap m = SectionMap.official();
            assertEquals(
                    Map.of(
                            "anthropic_helpful",
                            1.0,
                            "anthropic_hhh",
                            1.0,
                            "shp",
                            1.0,
                            "summarize",
                            1.0),
                    m.sections().get("Prior Sets"));
            assertEquals(
                    List.of(2.0, 2.0, 2.0, 2.0, 1.0), List.copyOf(m.sectionWeights().values()));
            assertEquals(Optional.empty(), m.sectionOf("anthropic_harmless"));
        }
    }

    @Nested
    class FileShapes {
        @Test
        void aPlainFileWeighsEverySectionOne(@TempDir Path dir) throws IOException {
            Path f = dir.resolve("m.json");
            java.nio.file.Files.writeString(f, "{\"A\": {\"x\": 2}, \"B\": {\"y\": 1}}");
            SectionMap m = SectionMap.load(f);
            assertEquals(Map.of("A", 1.0, "B", 1.0), m.sectionWeights());
            assertEquals(2.0, m.sections().get("A").get("x"));
        }

        @Test
        void aWeightedFileGivesSectionWeightsAndDefaultsTheRestToOne(@TempDir Path dir)
                throws IOException {
            Path f = dir.resolve("m.json");
            java.nio.file.Files.writeString(
                    f,
                    "{\"sections\": {\"A\": {\"x\": 2}, \"B\": {\"y\": 1}},"
                            + " \"section_weights\": {\"A\": 3}}");
            SectionMap m = SectionMap.load(f);
            assertEquals(List.of("A", "B"), List.copyOf(m.sections().keySet()));
            assertEquals(3.0, m.sectionWeights().get("A"));
            assertEquals(1.0, m.sectionWeights().get("B"));
        }

        @Test
        void aSectionNamedSectionsStaysAPlainSection(@TempDir Path dir) throws IOException {
            // in the plain shape a section maps to numbers, so this is one section "sections"
            Path f = dir.resolve("m.json");
            java.nio.file.Files.writeString(f, "{\"sections\": {\"x\": 2}}");
            SectionMap m = SectionMap.load(f);
            assertEquals(Map.of("sections", Map.of("x", 2.0)), m.sections());
        }
    }

    @Nested
    class Validation {
        @Test
        void loadsAFileAndRejectsASubsetInTwoSections(@TempDir Path dir) throws IOException {
            Path f = dir.resolve("m.json");
            java.nio.file.Files.writeString(f, "{\"A\": {\"x\": 2}, \"B\": {\"x\": 1}}");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SectionMap.load(f));
            assertTrue(e.getMessage().contains("'x' is in both 'A' and 'B'"), e.getMessage());
        }

        @Test
        void rejectsAWeightForAnUnknownSectionOrANonPositiveSectionWeight() {
            Map<String, Map<String, Double>> one = Map.of("A", Map.of("x", 1.0));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new SectionMap(one, Map.of("B", 1.0)));
            assertTrue(e.getMessage().contains("no such section"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class, () -> new SectionMap(one, Map.of("A", 0.0)));
        }

        @Test
        void rejectsNonPositiveWeights() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new SectionMap(Map.of("A", Map.of("x", 0.0))));
        }
    }
}
