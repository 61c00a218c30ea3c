package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Covers HelpSteer2Format (pointwise) and HelpSteer2PreferenceFormat. */
class HelpSteer2FormatsTest {
    @Test
    void pointwiseRowsCarryFiveAttributesAndFlagMissingOnes() {
        List<RatedResponse> rows = Samples.read("helpsteer2.jsonl", HelpSteer2Format.defaults());
        assertEquals(3, rows.size());
        assertEquals(
                List.of("helpfulness", "correctness", "coherence", "complexity", "verbosity"),
                rows.get(0).attributeNames());
        assertArrayEquals(new double[] {3, 4, 4, 2, 1}, rows.get(0).ratings());
        assertArrayEquals(new boolean[] {true, true, true, true, false}, rows.get(2).present());
    }

    @Test
    void preferenceStrengthPicksTheBetterResponseAndBecomesTheMarginTiesAreCounted() {
        RecordStream<PreferencePair> s =
                DataReader.open(
                        Samples.of("helpsteer2-preference.jsonl"),
                        new HelpSteer2PreferenceFormat(),
                        ReadOptions.defaults());
        List<PreferencePair> pairs = new ArrayList<>();
        s.forEachRemaining(pairs::add);
        s.close();
        assertEquals(2, pairs.size());
        assertTrue(((PlainText) pairs.get(0).chosen()).text().startsWith("Waves fold"));
        assertEquals(3.0, pairs.get(0).margin().getAsDouble());
        assertEquals(new PlainText("15% of 80 is 12."), pairs.get(1).chosen());
        assertEquals(2.0, pairs.get(1).margin().getAsDouble());
        assertEquals(1, s.counters().skippedCount());
        assertTrue(s.counters().skippedAt().get(0).contains("tie"));
    }

    @Test
    void strengthOutsideMinusThreeToThreeIsRejected() {
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                Samples.read(
                                        "bad/bad-strength.jsonl",
                                        new HelpSteer2PreferenceFormat()));
        assertEquals("preference_strength", e.field());
        assertTrue(e.getMessage().contains("-3..3"), e.getMessage());
    }
}
