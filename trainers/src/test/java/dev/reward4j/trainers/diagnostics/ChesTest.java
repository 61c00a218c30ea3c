package dev.reward4j.trainers.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.step.TinyTasks;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChesTest {
    static java.util.stream.IntStream seeds() {
        return java.util.stream.IntStream.range(0, 20);
    }

    static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Identical hidden states give CHES 0, the maximum over every rejected embedding whose norm
     * does not exceed the chosen one's (Cauchy-Schwarz), and CHES falls as the embeddings part.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void identicalHiddenStatesGiveTheMaximalScore(int seed) {
        Random r = new Random(seed);
        double[] a = gaussian(r, 16);
        assertEquals(0, Ches.score(a, a.clone()), 1e-12);
        double best = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 200; k++) {
            double[] b = gaussian(r, 16);
            double scale = norm(a) / norm(b) * r.nextDouble();
            for (int i = 0; i < b.length; i++) {
                b[i] *= scale;
            }
            best = Math.max(best, Ches.score(a, b));
        }
        assertTrue(best <= 0, "max over " + 200 + " other embeddings: " + best);
        // moving b away from a along -a lowers the score monotonically
        double previous = 0;
        for (double t = 0.1; t <= 1; t += 0.1) {
            double[] b = a.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] = (1 - t) * a[i];
            }
            double s = Ches.score(a, b);
            assertTrue(s < previous);
            previous = s;
        }
    }

    /** The device form sums the hidden states that predict the response tokens (shifted mask). */
    @Test
    void deviceScoresSumThePositionsThatPredictTheResponse() {
        try (NDManager m = NDManager.newBaseManager()) {
            // B = 1, T = 4, H = 2; chosen response = tokens 2, 3 -> predicting positions 1, 2
            float[] h = {
                9, 9, 1, 2, 3, 4, 7, 7, // chosen rows t = 0..3
                9, 9, 5, 6, 0, 0, 7, 7 // rejected: response = token 2 -> predicting position 1
            };
            NDArray hidden = m.create(h, new Shape(2, 4, 2));
            NDArray mask = m.create(new float[] {0, 0, 1, 1, 0, 0, 1, 0}, new Shape(2, 4));
            NDList s = Ches.scores(hidden, mask);
            double[] a = {1 + 3, 2 + 4};
            double[] b = {5, 6};
            assertEquals(Ches.score(a, b), s.get(0).getFloat(0), 1e-5);
            assertEquals(
                    Ches.score(new double[] {a[0] / 2, a[1] / 2}, b), s.get(1).getFloat(0), 1e-5);
        }
    }

    /**
     * End to end: a pair whose rejected response is its chosen one has identical hidden states,
     * CHES exactly 0 (the largest score of the batch) and is the first pair the filter drops.
     */
    @Test
    void aPairWithIdenticalResponsesScoresZeroAndIsDroppedFirst() {
        List<Seq[]> pairs = new ArrayList<>(TinyTasks.policyPairs(7, 3));
        Seq same = pairs.get(0)[0];
        pairs.add(3, new Seq[] {same, same});
        try (DecoderModel model =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 2, ModelOptions.defaults());
                NDManager m = model.manager().newSubManager();
                PairBatch batch =
                        TinyTasks.pairBatch(pairs, java.util.Collections.nCopies(8, "p"), m)) {
            NDList s =
                    Ches.scores(
                            model.tokenStatistics(batch.inputIds(), batch.attentionMask(), 1)
                                    .hidden(),
                            batch.responseMask());
            float[] ches = s.get(0).toFloatArray();
            float[] ln = s.get(1).toFloatArray();
            assertEquals(0f, ches[3], "identical hidden states");
            assertEquals(0f, ln[3]);
            for (int i = 0; i < ches.length; i++) {
                if (i != 3) {
                    assertTrue(ches[i] < 0, "pair " + i + ": " + ches[i]);
                }
            }
            double[] scores = new double[ches.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = ches[i];
            }
            boolean[] keep = new ChesFilter(1.0 / 8).keep(scores);
            for (int i = 0; i < keep.length; i++) {
                assertEquals(i != 3, keep[i], "pair " + i);
            }
        }
    }

    @Test
    void shapesAreChecked() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Ches.scores(m.zeros(new Shape(3, 4, 2)), m.zeros(new Shape(3, 4))));
            assertThrows(
                    IllegalArgumentException.class, () -> Ches.score(new double[2], new double[3]));
        }
    }
}
