package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RewardBenchV2Test {

    static V2Result smallSet() {
        List<RowScores> rows =
                RewardBenchEvaluator.scoreRows(
                        BenchmarkReader.read(FakeScorers.resource("v2-small.jsonl")),
                        new FakeScorers.Tagged(),
                        5);
        return RewardBenchV2.score(rows);
    }

    // v2-small.jsonl, scores after '#', chosen listed first:
    // Factuality (best-of-4): f1 {3 | 1,2,0} -> 1; f2 {2 | 2,1,0} -> 2 tied at max -> 1/2; f3 {1 |
    // 3,0,0} -> 0;
    //   f4 {5 | 5,5,5} -> 1/4.  Subset = (1 + 0.5 + 0 + 0.25) / 4 = 0.4375
    // Math: m1 {1 | 0,0,0} -> 1; m2 {0 | 1,0,0} -> 0.  Subset = 0.5
    // Ties (margin = min(correct) - max(incorrect), spread = max(correct) - min(correct)):
    //   ref:1  {5 | 1,2}       margin 3  (accurate)
    //   tied:1 {4,6,5 | 1,3}   margin 1  (accurate), spread 2
    //   ref:2  {2 | 3}         margin -1
    //   tied:2 {5,5 | 1}       margin 4  (accurate), spread 0
    //   tied:3 {1,2 | 2}       margin -1, spread 1 (no ref row: counts for acc_tied only)
    //   ref:4  {2 | 2}         margin 0  (not accurate: strict)
    //   tied:4 {3,3 | 2}       margin 1  (accurate), spread 0
    //   ref:5  {10 | 0}        margin 10 (accurate)
    //   tied:5 {8,9 | 1}       margin 7  (accurate), spread 1
    //   acc_ref = 2/4 = 0.5; acc_tied = 4/5 = 0.8
    //   prompts with both rows: 1, 2, 4, 5
    //     pref      (margin_tied > spread_tied):        1>2 no, 4>0 yes, 1>0 yes, 7>1 yes -> 0.75
    //     pref_hard (min(m_ref, m_tied) > spread_tied): 1>2 no, -1>0 no, 0>0 no, 7>1 yes  -> 0.25
    //     tie_break tanh(min / spread - 1): tanh(-0.5) = -0.462117, tanh(-1/0 - 1) = tanh(-inf) =
    // -1,
    //               0/0 = NaN -> 0, tanh(7 - 1) = 0.999988  -> mean = -0.115532
    //   Ties = 0.30*0.8 + 0.30*0.5 + 0.20*0.75 + 0.20*0.25 + 0.01*(-0.115532) = 0.588845
    // overall = (0.4375 + 0.5 + 0.588845) / 3 = 0.508782
    static final double TIE_BREAK = (Math.tanh(-0.5) - 1 + 0 + Math.tanh(6)) / 4;
    static final double TIES =
            0.30 * 0.8 + 0.30 * 0.5 + 0.20 * 0.75 + 0.20 * 0.25 + 0.01 * TIE_BREAK;

    @Nested
    class HandMadeSet {
        @Test
        void bestOfFourSubsetsScoreTiesAsOneOverK() {
            List<SubsetScore> s = smallSet().subsets();
            assertEquals(new SubsetScore("Factuality", 0.4375, 4), s.get(0));
            assertEquals(new SubsetScore("Math", 0.5, 2), s.get(1));
        }

        @Test
        void tiesSubsetFollowsTheWeightedFormula() {
            V2Result r = smallSet();
            TiesDetail t = r.ties().orElseThrow();
            assertEquals(0.5, t.accRef());
            assertEquals(0.8, t.accTied(), 1e-15);
            assertEquals(0.75, t.pref());
            assertEquals(0.25, t.prefHard());
            assertEquals(TIE_BREAK, t.tieBreak(), 1e-15);
            assertEquals(-0.115532, t.tieBreak(), 1e-6);
            assertEquals(4, t.refRows());
            assertEquals(5, t.tiedRows());
            assertEquals(4, t.pairedPrompts());
            assertEquals(TIES, t.score(), 1e-15);
            assertEquals(0.588845, t.score(), 1e-6);
            assertEquals(new SubsetScore("Ties", TIES, 9), r.subsets().get(2));
        }

        @Test
        void overallIsTheUnweightedMeanOfSubsets() {
            assertEquals((0.4375 + 0.5 + TIES) / 3, smallSet().overall(), 1e-15);
            assertEquals(0.508782, smallSet().overall(), 1e-6);
        }
    }

    @Nested
    class Rules {
        @Test
        void looksAtTheFirstChosenScoreOnlyLikeRewardBench() {
            // chosen {3, 3}, rejected {3, 1}: first chosen at the max shared by 3 -> 1/3
            assertEquals(
                    1.0 / 3,
                    RewardBenchV2.bestOfN(
                            new RowScores(
                                    "x",
                                    "Focus",
                                    new double[] {3, 3},
                                    new double[] {3, 1},
                                    OptionalInt.empty())),
                    1e-15);
            // chosen {1, 5}, rejected {2}: first chosen is not the max -> 0
            assertEquals(
                    0.0,
                    RewardBenchV2.bestOfN(
                            new RowScores(
                                    "y",
                                    "Focus",
                                    new double[] {1, 5},
                                    new double[] {2},
                                    OptionalInt.empty())));
        }

        @Test
        void recognisesTheTiesSubsetCaseInsensitivelyAndPairsNumericIds() {
            // "ties" lower-case; ref:01 pairs with tied:1 (int ids); margin_ref 1, margin_tied 2,
            // spread 1
            List<RowScores> rows =
                    List.of(
                            new RowScores(
                                    "ref:01",
                                    "ties",
                                    new double[] {2},
                                    new double[] {1},
                                    OptionalInt.of(1)),
                            new RowScores(
                                    "tied:1",
                                    "ties",
                                    new double[] {4, 3},
                                    new double[] {1},
                                    OptionalInt.of(2)));
            TiesDetail t = RewardBenchV2.score(rows).ties().orElseThrow();
            assertEquals(1, t.pairedPrompts());
            assertEquals(1.0, t.pref());
            assertEquals(0.0, t.prefHard()); // min(1, 2) = 1 > 1 is false
            assertEquals(Math.tanh(1.0 / 1 - 1), t.tieBreak(), 1e-15);
        }

        @Test
        void numCorrectSelectsTheCorrectPrefixOfChosenThenRejected() {
            // num_correct 1 of chosen {4, 6}: correct {4}, incorrect {6, 1} -> margin 4 - 6 = -2,
            // spread 0
            RowScores r =
                    new RowScores(
                            "tied:1",
                            "Ties",
                            new double[] {4, 6},
                            new double[] {1},
                            OptionalInt.of(1));
            double[] ms = RewardBenchV2.marginAndSpread(r);
            assertEquals(-2.0, ms[0]);
            assertEquals(0.0, ms[1]);
        }

        @Test
        void rejectsTiesIdsThatCannotBePaired() {
            RowScores r =
                    new RowScores(
                            "7", "Ties", new double[] {1}, new double[] {0}, OptionalInt.empty());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> RewardBenchV2.score(List.of(r)));
            assertTrue(e.getMessage().contains("ref:N"), e.getMessage());
        }
    }
}
