package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
        void hasTheFourSectionsWithTheExampleCountsOfRewardBench() {
            SectionMap m = SectionMap.official();
            assertEquals(
                    List.of("Chat", "Chat Hard", "Safety", "Reasoning"),
                    List.copyOf(m.sections().keySet()));
            assertEquals(23, m.sections().values().stream().mapToInt(Map::size).sum());
            assertEquals(984.0, m.sections().get("Reasoning").get("math-prm"));
            // rewardbench/constants.py EXAMPLE_COUNTS (the leaderboard's weights)
            assertEquals(250.0, m.sections().get("Safety").get("xstest-should-refuse"));
            assertEquals(154.0, m.sections().get("Safety").get("xstest-should-respond"));
            assertEquals(Optional.of("Chat Hard"), m.sectionOf("llmbar-adver-GPTOut"));
            assertEquals(Optional.empty(), m.sectionOf("unknown"));
        }
    }

    @Nested
    class Validation {
        @Test
        void loadsAFileAndRejectsASubsetInTwoSections(@TempDir Path dir) throws IOException {
            Path f = dir.resolve("m.json");
            Files.writeString(f, "{\"A\": {\"x\": 2}, \"B\": {\"x\": 1}}");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SectionMap.load(f));
            assertTrue(e.getMessage().contains("'x' is in both 'A' and 'B'"), e.getMessage());
        }

        @Test
        void rejectsNonPositiveWeights() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new SectionMap(Map.of("A", Map.of("x", 0.0))));
        }
    }
}
