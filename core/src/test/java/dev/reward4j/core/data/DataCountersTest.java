package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DataCountersTest {
    @Test
    void addMergesCountsAndLocations() {
        DataCounters a = new DataCounters();
        a.read();
        a.parsed();
        a.skipped("f:1", "bad json");
        DataCounters b = new DataCounters();
        b.kept();
        b.truncated(2, 1, 1);
        b.dropped("f:2", "too long");
        b.invalid("f:3", "chosen equals rejected");
        b.filtered();
        b.promptExtracted();
        b.completionDropped("f:4", "completions[1].fine-grained_score is null");
        b.identicalAfterTruncation("f:5", "chosen equals rejected after truncation");
        b.tailKept();
        a.add(b);
        assertEquals(1, a.identicalAfterTruncationCount());
        assertEquals(1, a.tailsKeptCount());
        assertEquals(
                "f:5 chosen equals rejected after truncation",
                a.identicalAfterTruncationAt().get(0));
        assertEquals(1, a.filteredCount());
        assertEquals(1, a.promptsExtractedCount());
        assertEquals(1, a.completionsDroppedCount());
        assertEquals(
                "f:4 completions[1].fine-grained_score is null", a.completionsDroppedAt().get(0));
        assertEquals(1, a.readCount());
        assertEquals(1, a.keptCount());
        assertEquals(1, a.truncatedCount());
        assertEquals(2, a.promptsTruncatedCount());
        assertEquals(1, a.responsesTruncatedCount());
        assertEquals(1, a.eosForcedCount());
        assertEquals("f:2 too long", a.droppedAt().get(0));
        assertEquals("f:3 chosen equals rejected", a.invalidAt().get(0));
        assertTrue(
                a.summary()
                        .contains(
                                "dropped=1 invalid=1 identicalAfterTruncation=1 tailsKept=1"
                                        + " skipped=1"),
                a.summary());
    }

    @Test
    void summaryPrintsEveryCountInTheDocumentedForm() {
        DataCounters c = new DataCounters();
        for (int i = 0; i < 10; i++) {
            c.read();
            c.parsed();
        }
        for (int i = 0; i < 8; i++) {
            c.kept();
        }
        c.truncated(1, 0, 0);
        c.dropped("f:9", "too long");
        c.invalid("f:10", "empty response");
        assertEquals(
                "read=10 parsed=10 kept=8 truncated=1 (prompts=1 responses=0 eosForced=0) dropped=1"
                        + " invalid=1 identicalAfterTruncation=0 tailsKept=0 skipped=0 filtered=0"
                        + " promptsExtracted=0"
                        + " completionsDropped=0",
                c.summary());
    }

    @Test
    void locationsAreCappedButCountsAreNot() {
        DataCounters c = new DataCounters();
        for (int i = 0; i < DataCounters.MAX_LINES + 10; i++) {
            c.skipped("f:" + i, "x");
        }
        assertEquals(DataCounters.MAX_LINES + 10, c.skippedCount());
        assertEquals(DataCounters.MAX_LINES, c.skippedAt().size());
    }

    @Test
    void lossRateIsMeasuredOverParsedAndSkipped() {
        DataCounters c = new DataCounters();
        for (int i = 0; i < 9; i++) {
            c.parsed();
        }
        c.skipped("f:10", "bad");
        c.requireLossRateAtMost(0.1);
        assertThrows(IllegalStateException.class, () -> c.requireLossRateAtMost(0.05));
    }
}
