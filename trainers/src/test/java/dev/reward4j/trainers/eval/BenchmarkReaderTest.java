package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReaderTest {

    @Nested
    class Schema {
        @Test
        void readsV1PairsWithStringOrNumericIdsAndMultiTurnPrompts() {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource("v1-small.jsonl"));
            assertEquals(13, rows.size());
            assertTrue(rows.stream().allMatch(BenchRow::pairwise));
            assertEquals("4", rows.get(3).id());
            assertEquals(3, rows.get(4).prompt().size());
            assertEquals(new Message("assistant", "Hello"), rows.get(4).prompt().get(1));
            assertEquals(5, rows.get(4).line());
            assertEquals(BenchVersion.V1, BenchVersion.detect(rows));
        }

        @Test
        void readsV2ListsAndNumCorrect() {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource("v2-small.jsonl"));
            BenchRow tied = rows.get(7);
            assertEquals("tied:1", tied.id());
            assertEquals(List.of("a #4", "b #6", "c #5"), tied.chosen());
            assertEquals(OptionalInt.of(3), tied.numCorrect());
            assertFalse(tied.pairwise());
            assertEquals(OptionalInt.empty(), rows.get(4).numCorrect());
            assertEquals(BenchVersion.V2, BenchVersion.detect(rows));
        }
    }

    @Nested
    class Errors {
        @Test
        void namesFileLineAndFieldOfABadRow(@TempDir Path dir) throws IOException {
            Path f = dir.resolve("bad.jsonl");
            Files.writeString(
                    f,
                    "{\"id\":\"1\",\"subset\":\"s\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n\n"
                        + "{\"id\":\"2\",\"subset\":\"s\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":[1]}\n");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> BenchmarkReader.read(f));
            assertTrue(e.getMessage().contains("bad.jsonl:3 field 'rejected[0]'"), e.getMessage());
        }

        @Test
        void rejectsDuplicateIds(@TempDir Path dir) throws IOException {
            Path f = dir.resolve("dup.jsonl");
            String row =
                    "{\"id\":\"1\",\"subset\":\"s\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n";
            Files.writeString(f, row + row);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> BenchmarkReader.read(f));
            assertTrue(e.getMessage().contains("dup.jsonl:2 field 'id'"), e.getMessage());
        }

        @Test
        void rejectsAMissingPrompt(@TempDir Path dir) throws IOException {
            Path f = dir.resolve("np.jsonl");
            Files.writeString(
                    f, "{\"id\":\"1\",\"subset\":\"s\",\"chosen\":\"a\",\"rejected\":\"b\"}\n");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> BenchmarkReader.read(f));
            assertTrue(e.getMessage().contains("np.jsonl:1 field 'prompt'"), e.getMessage());
        }
    }
}
