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
