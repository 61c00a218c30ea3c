package dev.reward4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.UltraFeedbackPairs.Pairing;
import dev.reward4j.core.data.UltraFeedbackRanked;
import dev.reward4j.core.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CurryCurriculumTest {
    static RankedList list(String id, double... scores) {
        List<Text> responses = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            responses.add(new PlainText("r" + i));
        }
        return new RankedList(id, new PlainText("q"), responses, scores, Source.memory(1));
    }

    static String ids(List<StagedPair> pairs) {
        StringBuilder b = new StringBuilder();
        for (StagedPair p : pairs) {
            b.append(p.pair().id()).append('@').append(p.stage()).append(' ');
        }
        return b.toString().trim();
    }

    @Nested
    class Stages {
        @Test
        void bestVersusRestGivesThePapersScheduleOnePairPerStageEasiestFirst() {
            // R0 = 5 is best; gaps: R3 (2) -> 3, R1 (3) -> 2, R2 (4) -> 1
            List<StagedPair> pairs =
                    CurryCurriculum.defaults().pairs(list("x", 5, 3, 4, 2), r -> {});
            assertEquals("x#0-3@0 x#0-1@1 x#0-2@2", ids(pairs));
            assertEquals(3.0, pairs.get(0).gap());
            assertEquals(1.0, pairs.get(2).gap());
            assertEquals(new PlainText("r0"), pairs.get(0).pair().chosen());
            assertEquals(new PlainText("r3"), pairs.get(0).pair().rejected());
            assertTrue(pairs.get(0).pair().margin().isEmpty());
        }

        @Test
        void allPairsSpreadOverTheStagesByRankWithTheGapAsMargin() {
            // scores 4, 1, 3, 2 -> gaps: 0-1 3, 0-3 2, 2-1 2, 0-2 1, 2-3 1, 3-1 1
            List<StagedPair> pairs =
                    new CurryCurriculum(Pairing.ALL_PAIRS, 3, true)
                            .pairs(list("y", 4, 1, 3, 2), r -> {});
            assertEquals("y#0-1@0 y#0-3@0 y#2-1@1 y#0-2@1 y#2-3@2 y#3-1@2", ids(pairs));
            assertEquals(3.0, pairs.get(0).pair().margin().getAsDouble());
        }

        @Test
        void aListWithFewerPairsThanStagesFillsTheFirstStages() {
            assertEquals(
                    "z#1-0@0", ids(CurryCurriculum.defaults().pairs(list("z", 1, 2), r -> {})));
        }

        @Test
        void tiesMakeNoPairAndAreReported() {
            List<String> ties = new ArrayList<>();
            List<StagedPair> pairs =
                    CurryCurriculum.defaults().pairs(list("t", 5, 5, 2), ties::add);
            assertEquals("t#0-2@0", ids(pairs));
            assertEquals(1, ties.size());
            assertTrue(ties.get(0).contains("tie between responses 0 and 1"), ties.toString());
        }

        @Test
        void byStageGroupsThePairsInOrder() {
            CurryCurriculum c = CurryCurriculum.defaults();
            List<StagedPair> all = new ArrayList<>(c.pairs(list("a", 5, 3, 4, 2), r -> {}));
            all.addAll(c.pairs(list("b", 1, 9, 5, 7), r -> {}));
            List<List<PreferencePair>> stages = c.byStage(all);
            assertEquals(3, stages.size());
            assertEquals("a#0-3", stages.get(0).get(0).id());
            assertEquals("b#1-0", stages.get(0).get(1).id());
            assertEquals("b#1-3", stages.get(2).get(1).id());
        }
    }

    @Nested
    class Validation {
        @Test
        void stagesMustBePositive() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new CurryCurriculum(Pairing.BEST_VS_REST, 0, false));
            assertTrue(e.getMessage().contains("stages (0)"), e.getMessage());
        }

        @Test
        void aStagedPairNeedsAPositiveGap() {
            PreferencePair p =
                    PreferencePair.of(
                            "p",
                            new PlainText("q"),
                            new PlainText("a"),
                            new PlainText("b"),
                            Source.memory(1));
            assertThrows(IllegalArgumentException.class, () -> new StagedPair(p, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> new StagedPair(p, -1, 1));
        }
    }

    @Test
    void readsUltraFeedbackRowsAsStagedPairsAndCountsTies() {
        CurryCurriculum c = CurryCurriculum.defaults();
        List<StagedPair> pairs = new ArrayList<>();
        DataCounters counters;
        try (RecordStream<StagedPair> s =
                DataReader.open(
                        Samples.of("ultrafeedback.jsonl"),
                        c.on(UltraFeedbackRanked.defaults()),
                        ReadOptions.defaults())) {
            s.forEachRemaining(pairs::add);
            counters = s.counters();
        }
        List<RankedList> lists =
                Samples.read("ultrafeedback.jsonl", UltraFeedbackRanked.defaults());
        int expected = 0;
        int ties = 0;
        for (RankedList l : lists) {
            int[] t = {0};
            expected += c.pairs(l, r -> t[0]++).size();
            ties += t[0];
        }
        assertEquals(expected, pairs.size());
        assertTrue(expected > 0);
        // ties of the curriculum are skipped on top of the rows the list reader skips
        assertTrue(counters.skippedCount() >= ties);
        for (StagedPair p : pairs) {
            assertTrue(p.stage() >= 0 && p.stage() < 3);
        }
    }
}
