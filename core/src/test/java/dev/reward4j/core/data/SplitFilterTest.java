package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HelpSteer2-Preference's {@code split} column, on rows in the published schema of {@code
 * nvidia/HelpSteer2} {@code preference/preference.jsonl.gz}: 3 train rows (one a tie) and 2 val
 * rows.
 */
class SplitFilterTest {
    record Read(List<PreferencePair> pairs, dev.reward4j.core.data.DataCounters counters) {}

    static Read read(Path file, Format<PreferencePair> format) {
        try (RecordStream<PreferencePair> s =
                DataReader.open(file, format, ReadOptions.defaults())) {
            List<PreferencePair> pairs = new ArrayList<>();
            s.forEachRemaining(pairs::add);
            return new Read(pairs, s.counters());
        }
    }

    @Test
    void nvidiasRoutingTrainRowsToTrainingAndEverythingElseToValidation() {
        Path file = Samples.of("real/helpsteer2-preference.jsonl");
        HelpSteer2PreferenceFormat format = new HelpSteer2PreferenceFormat();
        // without a filter every row is a pair (the tie is skipped): validation rows leak in
        Read all = read(file, format);
        assertEquals(4, all.pairs().size());
        Read train = read(file, SplitFilter.only("train").on(format));
        assertEquals(2, train.pairs().size()); // 3 train rows, one tie skipped
        assertEquals(2, train.counters().filteredCount());
        assertEquals(1, train.counters().skippedCount());
        assertEquals(5, train.counters().readCount());
        Read val = read(file, SplitFilter.allBut("train").on(format));
        assertEquals(2, val.pairs().size());
        assertEquals(3, val.counters().filteredCount());
        assertEquals(new PlainText("Jupiter is the largest planet."), val.pairs().get(0).chosen());
        assertEquals(new PlainText("Necessary."), val.pairs().get(1).chosen());
    }

    @Test
    void filteredRowsAreNotCountedAsLost() {
        Read train =
                read(
                        Samples.of("real/helpsteer2-preference.jsonl"),
                        SplitFilter.only("train").on(new HelpSteer2PreferenceFormat()));
        // 2 parsed + 1 skipped (tie): 1/3 lost; the 2 filtered val rows do not count
        train.counters().requireLossRateAtMost(0.34);
        assertThrows(
                IllegalStateException.class, () -> train.counters().requireLossRateAtMost(0.3));
    }

    @Test
    void aRowWithoutTheSplitColumnIsAnErrorNamingFileLineAndField(@TempDir Path dir)
            throws IOException {
        Path f = dir.resolve("no-split.jsonl");
        Files.writeString(f, "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n");
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> read(f, SplitFilter.only("train").on(TrlFormat.standard())));
        assertEquals("split", e.field());
        assertTrue(e.getMessage().contains("no-split.jsonl"), e.getMessage());
        assertTrue(e.getMessage().contains("split == 'train'"), e.getMessage());
    }

    @Test
    void anyFormatWithASplitColumnCanBeFiltered(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("trl.jsonl");
        Files.writeString(
                f,
                "{\"split\": \"test\", \"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n"
                        + "{\"split\": \"train\", \"prompt\": \"q\", \"chosen\": \"c\","
                        + " \"rejected\": \"d\"}\n");
        Read test = read(f, SplitFilter.only("test").on(TrlFormat.standard()));
        assertEquals(1, test.pairs().size());
        assertEquals(new PlainText("p"), test.pairs().get(0).prompt());
        assertEquals(1, test.counters().filteredCount());
    }
}
