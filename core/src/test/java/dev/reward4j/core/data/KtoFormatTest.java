package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class KtoFormatTest {
    @Test
    void standardAndConversationalUnpairedRowsKeepTheirLabels() {
        List<UnpairedFeedback> rows = Samples.read("kto.jsonl", new KtoFormat());
        assertEquals(3, rows.size());
        assertTrue(rows.get(0).desirable());
        assertFalse(rows.get(1).desirable());
        assertEquals(new PlainText(" Lyon."), rows.get(1).completion());
        assertEquals(
                Conversation.of(new Message("assistant", "Octopuses have three hearts.")),
                rows.get(2).completion());
    }
}
