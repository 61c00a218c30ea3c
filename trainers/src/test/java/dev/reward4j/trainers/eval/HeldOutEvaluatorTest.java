package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HeldOutEvaluatorTest {

    @Nested
    class HostArrays {
        @Test
        void reportsAccuracyMarginsRewardStatsAndCalibration() {
            // margins {1, -2, 0, 5}: accuracy 2/4 (the tie is wrong), margin mean 1, margin std
            // sqrt(6.5)
            double[] c = {2, 1, 0.5, 4};
            double[] r = {1, 3, 0.5, -1};
            HeldOutResult h = HeldOutEvaluator.evaluate(c, r);
            assertEquals(4, h.pairs());
            assertEquals(0.5, h.accuracy());
            assertEquals(1.0, h.margin().mean(), 1e-15);
            assertEquals(7.5 / 4, h.chosen().mean(), 1e-15);
            assertEquals(Calibration.of(c, r).ece(), h.calibration().ece());
            Map<String, Double> m = h.metrics();
            assertEquals(0.5, m.get(MetricNames.ACCURACY));
            assertEquals(Math.sqrt(6.5), m.get(MetricNames.MARGIN + "_std"), 1e-12);
            assertEquals(h.calibration().ece(), m.get(MetricNames.ECE));
            assertEquals(PairwiseMetrics.preferenceNll(c, r), m.get(MetricNames.PREFERENCE_NLL));
        }
    }

    @Nested
    class PairBatches {
        /**
         * A batch whose "model" score is the first token id: rows [0, B) chosen, [B, 2B) rejected.
         */
        static PairBatch batch(NDManager m, long[] firstTokens) {
            int rows = firstTokens.length;
            long[] ids = new long[rows * 2];
            for (int i = 0; i < rows; i++) {
                ids[2 * i] = firstTokens[i];
                ids[2 * i + 1] = 9;
            }
            NDArray inputIds = m.create(ids, new Shape(rows, 2));
            NDArray mask = m.ones(new Shape(rows, 2), DataType.INT64);
            NDArray last = m.create(new long[rows]).add(1);
            NDArray resp = m.ones(new Shape(rows, 2));
            NDArray weight = m.ones(new Shape(rows / 2));
            List<String> idList =
                    java.util.stream.IntStream.range(0, rows / 2).mapToObj(i -> "p" + i).toList();
            return new PairBatch(inputIds, mask, last, resp, null, weight, idList, rows * 2L);
        }

        static final ScoreForward FIRST_TOKEN =
                (ids, mask) -> ids.get(":, 0").toType(DataType.FLOAT32, false);

        static final PairRewards FIRST_TOKEN_REWARD =
                b -> FIRST_TOKEN.scores(b.inputIds(), b.attentionMask());

        @Test
        void theHeldOutLoopSplitsEachBatchIntoChosenAndRejectedHalvesAndClosesIt() {
            try (NDManager m = NDManager.newBaseManager()) {
                // batch 1: chosen {5, 1}, rejected {3, 2}; batch 2: chosen {4}, rejected {4}
                List<PairBatch> made = new java.util.ArrayList<>();
                List<Integer> observed = new java.util.ArrayList<>();
                HeldOutPairs.Scores s =
                        HeldOutPairs.score(
                                List.of(
                                        mm -> remember(made, batch(mm, new long[] {5, 1, 3, 2})),
                                        mm -> remember(made, batch(mm, new long[] {4, 4}))),
                                FIRST_TOKEN_REWARD,
                                m,
                                (b, r) -> observed.add((int) r.getShape().get(0)));
                HeldOutResult h = s.evaluate();
                assertArrayEquals(new double[] {5, 1, 4}, h.chosenScores());
                assertArrayEquals(new double[] {3, 2, 4}, h.rejectedScores());
                // 5>3 yes, 1>2 no, 4>4 no (tie) -> 1/3
                assertEquals(1.0 / 3, h.accuracy(), 1e-15);
                HeldOutResult host =
                        HeldOutEvaluator.evaluate(
                                new double[] {5, 1, 4}, new double[] {3, 2, 4}, 10);
                assertEquals(host.metrics(), h.metrics());
                assertEquals(host.calibration(), h.calibration());
                assertEquals(List.of(4, 2), observed); // the observer saw each batch's 2B rewards
                assertTrue(made.get(0).inputIds().isReleased());
                assertTrue(made.get(1).inputIds().isReleased());
            }
        }

        static PairBatch remember(List<PairBatch> made, PairBatch b) {
            made.add(b);
            return b;
        }

        @Test
        void rejectsAModelOutputOfTheWrongLength() {
            try (NDManager m = NDManager.newBaseManager()) {
                PairRewards half = b -> b.inputIds().get("0:1, 0").toType(DataType.FLOAT32, false);
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                HeldOutPairs.score(
                                        List.of(mm -> batch(mm, new long[] {1, 2})),
                                        half,
                                        m,
                                        HeldOutPairs.BatchObserver.NONE));
            }
        }
    }

    @Nested
    class ListBatches {
        @Test
        void ranksListItemsAgainstReferenceScoresIgnoringPaddedItems() {
            try (NDManager m = NDManager.newBaseManager()) {
                // B = 2 lists of K = 3; the model score is the first token id.
                // list 0: model {3, 2, 1} vs reference {0.9, 0.5, 0.1}: perfect -> ndcg 1, tau 1
                // list 1: model {1, 2, 7} vs reference {0.9, 0.5, 0} with item 2 padded: reversed
                // -> tau -1,
                //         ndcg@3 over 2 items with grades {1, 0} in order (item1, item0):
                // (2^1-1)/log2(3) / 1 = 0.630930
                long[] first = {3, 2, 1, 1, 2, 7};
                long[] ids = new long[12];
                for (int i = 0; i < 6; i++) {
                    ids[2 * i] = first[i];
                    ids[2 * i + 1] = 9;
                }
                dev.reward4j.core.data.ListBatch batch =
                        new dev.reward4j.core.data.ListBatch(
                                m.create(ids, new Shape(6, 2)),
                                m.ones(new Shape(6, 2), DataType.INT64),
                                m.ones(new Shape(6), DataType.INT64),
                                m.ones(new Shape(6, 2)),
                                m.create(
                                        new float[] {0.9f, 0.5f, 0.1f, 0.9f, 0.5f, 0f},
                                        new Shape(2, 3)),
                                m.create(new float[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3)),
                                List.of("a", "b"),
                                12);
                Map<String, Double> out =
                        HeldOutEvaluator.evaluateLists(List.of(batch), PairBatches.FIRST_TOKEN, 3);
                assertEquals(
                        (1 + 1 / (Math.log(3) / Math.log(2))) / 2,
                        out.get(MetricNames.ndcgAt(3)),
                        1e-6);
                assertEquals(0.0, out.get(MetricNames.KENDALL_TAU), 1e-12);
            }
        }
    }
}
