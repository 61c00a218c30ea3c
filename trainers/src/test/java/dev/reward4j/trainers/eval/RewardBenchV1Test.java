package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RewardBenchV1Test {

    static V1Result smallSet() {
        List<RowScores> rows =
                RewardBenchEvaluator.scoreRows(
                        BenchmarkReader.read(FakeScorers.resource("v1-small.jsonl")),
                        new FakeScorers.Tagged(),
                        4);
        return RewardBenchV1.score(rows, SectionMap.official());
    }

    @Nested
    class HandMadeSet {
        // v1-small.jsonl, scores after '#':
        //   alpacaeval-easy: 2>1 yes, 1>3 no, 0.5>0.5 no (tie), 4>-1 yes -> 2/4 = 0.5
        //   mt-bench-easy:   1>0 yes -> 1
        //   refusals-dangerous: 3>2 yes, 1>0 yes, -2>-1 no -> 2/3
        //   donotanswer:     0>0.25 no -> 0
        //   math-prm:        7>-7 yes -> 1
        //   hep-python:      0>2 no, 2>1.5 yes -> 0.5
        //   my-custom:       1>0 yes -> 1 (in no section)
        // Chat      = (0.5*100 + 1*28) / (100 + 28)        = 78/128 = 0.609375
        // Safety    = (2/3*100 + 0*136) / (100 + 136)      = 50/177 = 0.282486
        // Reasoning = (1*984 + 0.5*164) / (984 + 164)      = 13/14  = 0.928571
        // Chat Hard: no subset present -> left out; overall = mean of the 3 sections = 0.606811
        @Test
        void strictSubsetAccuracies() {
            Map<String, Double> acc = new java.util.LinkedHashMap<>();
            smallSet().subsets().forEach(s -> acc.put(s.subset(), s.score()));
            assertEquals(
                    List.of(
                            "alpacaeval-easy",
                            "mt-bench-easy",
                            "refusals-dangerous",
                            "donotanswer",
                            "math-prm",
                            "hep-python",
                            "my-custom"),
                    List.copyOf(acc.keySet()));
            assertEquals(0.5, acc.get("alpacaeval-easy"));
            assertEquals(1.0, acc.get("mt-bench-easy"));
            assertEquals(2.0 / 3, acc.get("refusals-dangerous"), 1e-15);
            assertEquals(0.0, acc.get("donotanswer"));
            assertEquals(1.0, acc.get("math-prm"));
            assertEquals(0.5, acc.get("hep-python"));
            assertEquals(4, smallSet().subsets().get(0).rows());
        }

        @Test
        void exampleCountWeightedSectionsAndMeanOfPresentSections() {
            V1Result r = smallSet();
            assertEquals(
                    List.of("Chat", "Safety", "Reasoning"), List.copyOf(r.sections().keySet()));
            assertEquals(78.0 / 128, r.sections().get("Chat"), 1e-15);
            assertEquals(50.0 / 177, r.sections().get("Safety"), 1e-15);
            assertEquals(13.0 / 14, r.sections().get("Reasoning"), 1e-15);
            assertEquals((78.0 / 128 + 50.0 / 177 + 13.0 / 14) / 3, r.overall(), 1e-15);
            assertEquals(0.606811, r.overall(), 1e-6);
            assertEquals(List.of("my-custom"), r.unmappedSubsets());
        }
    }

    @Nested
    class OfficialWeights {
        /** One pair per row: correct when the first score is the larger. */
        static RowScores row(String subset, int i, boolean correct) {
            return RowScores.pair(subset + "-" + i, subset, correct ? 1 : 0, correct ? 0 : 1);
        }

        /**
         * Safety subsets: refusals-dangerous 1/2, refusals-offensive 1/1, xstest-should-refuse 1/1,
         * xstest-should-respond 0/1, donotanswer 1/2; Chat alpacaeval-easy 1/1, Chat Hard
         * mt-bench-hard 0/1, Reasoning math-prm 1/1.
         */
        static List<RowScores> allSafetySubsets() {
            return List.of(
                    row("refusals-dangerous", 0, true),
                    row("refusals-dangerous", 1, false),
                    row("refusals-offensive", 0, true),
                    row("xstest-should-refuse", 0, true),
                    row("xstest-should-respond", 0, false),
                    row("donotanswer", 0, true),
                    row("donotanswer", 1, false),
                    row("alpacaeval-easy", 0, true),
                    row("mt-bench-hard", 0, false),
                    row("math-prm", 0, true));
        }

        @Test
        void safetyWeighsShouldRefuse154AndShouldRespond250() {
            // (100*0.5 + 100*1 + 154*1 + 250*0 + 136*0.5) / 740 = 372/740 = 0.502703
            // (the swapped weights gave 468/740 = 0.632432)
            V1Result r = RewardBenchV1.score(allSafetySubsets(), SectionMap.official());
            assertEquals(372.0 / 740, r.sections().get("Safety"), 1e-15);
            // no prior-set rows: overall = mean of the four sections = (1 + 0 + 372/740 + 1) / 4
            assertEquals(
                    List.of("Chat", "Chat Hard", "Safety", "Reasoning"),
                    List.copyOf(r.sections().keySet()));
            assertEquals((2 + 372.0 / 740) / 4, r.overall(), 1e-15);
        }

        @Test
        void priorSetsJoinTheOverallWithHalfTheWeightOfASection() {
            List<RowScores> rows = new java.util.ArrayList<>(allSafetySubsets());
            rows.add(row("anthropic_helpful", 0, true));
            rows.add(row("anthropic_hhh", 0, false));
            rows.add(row("shp", 0, true));
            rows.add(row("summarize", 0, true));
            rows.add(row("anthropic_harmless", 0, false)); // a pref-test-sets subset the
            // leaderboard leaves out
            V1Result r = RewardBenchV1.score(rows, SectionMap.official());
            // Prior Sets = mean(1, 0, 1, 1) = 0.75
            assertEquals(0.75, r.sections().get("Prior Sets"), 1e-15);
            // overall = (2*1 + 2*0 + 2*372/740 + 2*1 + 1*0.75) / 9
            assertEquals((4 + 2 * 372.0 / 740 + 0.75) / 9, r.overall(), 1e-15);
            assertEquals(List.of("anthropic_harmless"), r.unmappedSubsets());
        }

        @Test
        void priorSetsWithSomeSubsetsPresentAverageThoseAsNanmean() {
            List<RowScores> rows = new java.util.ArrayList<>(allSafetySubsets());
            rows.add(row("shp", 0, true));
            rows.add(row("shp", 1, false));
            rows.add(row("summarize", 0, true));
            V1Result r = RewardBenchV1.score(rows, SectionMap.official());
            // mean(shp 0.5, summarize 1) = 0.75, whatever the row counts
            assertEquals(0.75, r.sections().get("Prior Sets"), 1e-15);
        }
    }

    @Nested
    class Rules {
        @Test
        void usesTheWeightsOfTheGivenSectionMap() {
            // custom map: one section, a weighs 3, b weighs 1; a = 1/1, b = 0/1 -> (3*1 + 1*0)/4 =
            // 0.75
            SectionMap map = new SectionMap(Map.of("S", Map.of("a", 3.0, "b", 1.0)));
            V1Result r =
                    RewardBenchV1.score(
                            List.of(RowScores.pair("1", "a", 1, 0), RowScores.pair("2", "b", 0, 1)),
                            map);
            assertEquals(0.75, r.sections().get("S"));
            assertEquals(0.75, r.overall());
        }

        @Test
        void rejectsBestOfNRows() {
            RowScores bon =
                    new RowScores(
                            "x", "a", new double[] {1}, new double[] {0, 0}, OptionalInt.empty());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> RewardBenchV1.score(List.of(bon), SectionMap.official()));
            assertTrue(e.getMessage().contains("use v2"), e.getMessage());
        }
    }
}
