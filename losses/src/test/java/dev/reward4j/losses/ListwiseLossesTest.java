package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.losses.ListwiseObjective.AllPairsBt;
import dev.reward4j.losses.ListwiseObjective.LipoLambda;
import dev.reward4j.losses.ListwiseObjective.ListNet;
import dev.reward4j.losses.ListwiseObjective.PlackettLuce;
import dev.reward4j.losses.ListwiseObjective.Pro;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(NDManagerExtension.class)
class ListwiseLossesTest {
    static final int LISTS = 3;
    static final int K = 6;
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    static Stream<ListwiseObjective> objectives() {
        return Stream.of(
                new PlackettLuce(),
                ListNet.defaults(),
                new LipoLambda(),
                new Pro(),
                new AllPairsBt());
    }

    /** Loss (NONE, per list) and gradient wrt the scores. */
    double[][] run(ListwiseObjective o, double[] s, double[] y, double[] mask) {
        Shape shape = new Shape(LISTS, K);
        NDArray scores = m.create(s, shape);
        scores.setRequiresGradient(true);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss =
                    o.apply(
                                    scores,
                                    m.create(y, shape),
                                    mask == null ? null : m.create(mask, shape),
                                    null,
                                    Reduction.NONE)
                            .loss();
            gc.backward(loss.sum());
        }
        return new double[][] {loss.toDoubleArray(), scores.getGradient().toDoubleArray()};
    }

    /** Distinct labels per list (a random permutation of 0..K-1) so every order is strict. */
    static double[] distinctLabels(Random r) {
        double[] y = new double[LISTS * K];
        for (int b = 0; b < LISTS; b++) {
            int[] p = permutation(r);
            for (int k = 0; k < K; k++) {
                y[b * K + k] = p[k];
            }
        }
        return y;
    }

    static int[] permutation(Random r) {
        int[] p = new int[K];
        for (int k = 0; k < K; k++) {
            p[k] = k;
        }
        for (int k = K - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            int t = p[k];
            p[k] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double[] permuteRows(double[] a, int[][] perms) {
        double[] out = new double[a.length];
        for (int b = 0; b < LISTS; b++) {
            for (int k = 0; k < K; k++) {
                out[b * K + k] = a[b * K + perms[b][k]];
            }
        }
        return out;
    }

    @Nested
    class Properties {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.ListwiseLossesTest#objectives")
        void invariantWhenItemsAndLabelsArePermutedTogether(ListwiseObjective o) {
            Random r = new Random(1);
            double[] s = LossCase.normal(r, LISTS * K, 2);
            // graded labels with ties, except Plackett-Luce whose tie-break is positional by
            // definition
            double[] y =
                    o instanceof PlackettLuce
                            ? distinctLabels(r)
                            : LossCase.ints(r, LISTS * K, 0, 3);
            double[] mask = LossCase.bernoulli(r, LISTS * K, 0.8);
            for (int b = 0; b < LISTS; b++) {
                mask[b * K] = 1;
                mask[b * K + 1] = 1;
            }
            int[][] perms = new int[LISTS][];
            for (int b = 0; b < LISTS; b++) {
                perms[b] = permutation(r);
            }
            double[][] base = run(o, s, y, mask);
            double[][] permuted =
                    run(o, permuteRows(s, perms), permuteRows(y, perms), permuteRows(mask, perms));
            assertArrayEquals(base[0], permuted[0], 1e-12, o.name());
            assertArrayEquals(
                    permuteRows(base[1], perms), permuted[1], 1e-12, o.name() + " gradient");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.ListwiseLossesTest#objectives")
        void maskedItemsHaveNoEffectAndGetZeroGradient(ListwiseObjective o) {
            Random r = new Random(2);
            double[] s = LossCase.normal(r, LISTS * K, 2);
            double[] y = LossCase.ints(r, LISTS * K, 0, 3);
            double[] mask = LossCase.bernoulli(r, LISTS * K, 0.6);
            for (int b = 0; b < LISTS; b++) {
                mask[b * K] = 1;
                mask[b * K + 3] = 1;
            }
            double[] s2 = s.clone();
            double[] y2 = y.clone();
            for (int i = 0; i < s.length; i++) {
                if (mask[i] == 0) {
                    s2[i] = 1e4 * (i % 2 == 0 ? 1 : -1);
                    y2[i] = 10;
                }
            }
            double[][] a = run(o, s, y, mask);
            double[][] b = run(o, s2, y2, mask);
            assertArrayEquals(a[0], b[0], 1e-12, o.name());
            assertArrayEquals(a[1], b[1], 1e-12, o.name());
            for (int i = 0; i < s.length; i++) {
                if (mask[i] == 0) {
                    assertEquals(0, b[1][i], 0, o.name() + " gradient at masked item " + i);
                }
            }
        }

        @Test
        void twoItemPlackettLuceAndAllPairsEqualBradleyTerry() {
            // closed form: -log sigma(s_better - s_worse) = log(1 + e^{-(1.2 - (-0.3))})
            NDArray s = m.create(new double[] {-0.3, 1.2}, new Shape(1, 2));
            NDArray y = m.create(new double[] {0, 1}, new Shape(1, 2));
            double bt = Math.log1p(Math.exp(-1.5));
            assertEquals(
                    bt,
                    new PlackettLuce().apply(s, y, null, null, Reduction.MEAN).loss().getDouble(),
                    1e-15);
            assertEquals(
                    bt,
                    new AllPairsBt().apply(s, y, null, null, Reduction.MEAN).loss().getDouble(),
                    1e-15);
        }

        @Test
        void proMultipliesEachScoreByItsLabelGapAsPaperEquationsSevenAndEight() {
            // PRO (arXiv 2306.17492) eqs. 7-8: exp(r / T) with T_k^i = 1/(y_k - y_i) and T_k^k =
            // min_i T_k^i. Labels 3, 1, 0 (gaps 2, 3, 1: not unit), scores 1.0, 0.5, -0.2.
            // k = 0 (label 3): lower items 1 (gap 2) and 2 (gap 3); 1/T_00 = max gap = 3:
            //   log(e^{1.0*3} + e^{0.5*2} + e^{-0.2*3}) - 1.0*3
            // k = 1 (label 1): lower item 2 (gap 1); 1/T_11 = 1:
            //   log(e^{0.5*1} + e^{-0.2*1}) - 0.5*1
            // k = 2: no lower item, no term.
            double k0 = Math.log(Math.exp(3.0) + Math.exp(1.0) + Math.exp(-0.6)) - 3.0;
            double k1 = Math.log(Math.exp(0.5) + Math.exp(-0.2)) - 0.5;
            NDArray s = m.create(new double[] {1.0, 0.5, -0.2}, new Shape(1, 3));
            s.setRequiresGradient(true);
            NDArray y = m.create(new double[] {3, 1, 0}, new Shape(1, 3));
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = new Pro().apply(s, y, null, null, Reduction.SUM).loss();
                gc.backward(loss);
            }
            assertEquals(k0 + k1, loss.getDouble(), 1e-14);
            // d/ds_0 = 3 (softmax_0 of k0 - 1); d/ds_2 = 3 softmax_2(k0) + 1 softmax_2(k1)
            double z0 = Math.exp(3.0) + Math.exp(1.0) + Math.exp(-0.6);
            double z1 = Math.exp(0.5) + Math.exp(-0.2);
            double[] g = s.getGradient().toDoubleArray();
            assertEquals(3 * (Math.exp(3.0) / z0 - 1), g[0], 1e-14);
            assertEquals(2 * Math.exp(1.0) / z0 + (Math.exp(0.5) / z1 - 1), g[1], 1e-14);
            assertEquals(3 * Math.exp(-0.6) / z0 + Math.exp(-0.2) / z1, g[2], 1e-14);
        }

        @Test
        void listNetIsMinimalWhenScoresMatchTheScaledLabels() {
            // cross-entropy is minimal (= entropy of the target) when softmax(s) == softmax(y /
            // tau)
            NDArray y = m.create(new double[] {0, 1, 3}, new Shape(1, 3));
            ListNet ln = new ListNet(0.5);
            double best = ln.apply(y.div(0.5), y, null, null, Reduction.MEAN).loss().getDouble();
            double other = ln.apply(y, y, null, null, Reduction.MEAN).loss().getDouble();
            assertEquals(
                    best,
                    ln.apply(y.div(0.5).add(7), y, null, null, Reduction.MEAN).loss().getDouble(),
                    1e-12);
            org.junit.jupiter.api.Assertions.assertTrue(other > best);
        }

        @Test
        void pairAccuracyCountsCorrectlyOrderedPairs() {
            // labels 2 > 1 > 0; scores order (0 > 2) wrong for one of three pairs... scores 3, 1, 2
            NDArray s = m.create(new double[] {3, 1, 2}, new Shape(1, 3));
            NDArray y = m.create(new double[] {2, 1, 0}, new Shape(1, 3));
            ListwiseOutput out = new AllPairsBt().apply(s, y, null, null, Reduction.MEAN);
            assertEquals(2.0 / 3, out.pairAccuracy().getDouble(0), 1e-15);
            assertEquals(3, out.validItems().getDouble(0), 0);
        }
    }

    @Nested
    class Validation {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.ListwiseLossesTest#objectives")
        void rejectsListsWithFewerThanTwoValidItems(ListwiseObjective o) {
            NDArray s = m.zeros(new Shape(2, 3), ai.djl.ndarray.types.DataType.FLOAT64);
            NDArray mask = m.create(new double[] {1, 1, 0, 0, 1, 0}, new Shape(2, 3));
            Expect.badArgument(
                    () -> o.apply(s, s, mask, null, Reduction.MEAN),
                    o.name(),
                    "itemMask",
                    "list 1",
                    "(1 valid)",
                    "expected >= 2");
        }

        @Test
        void rejectsMismatchedShapesAndIntegerScores() {
            NDArray s = m.zeros(new Shape(2, 3));
            Expect.badArgument(
                    () -> new Pro().apply(s, m.zeros(new Shape(2, 4)), null, null, Reduction.MEAN),
                    "pro",
                    "labels",
                    "(2, 4)",
                    "expected (2, 3)");
            Expect.badArgument(
                    () ->
                            new Pro()
                                    .apply(
                                            m.zeros(new Shape(6)),
                                            m.zeros(new Shape(6)),
                                            null,
                                            null,
                                            Reduction.MEAN),
                    "scores",
                    "(6)",
                    "expected (B, K)");
            Expect.badArgument(
                    () ->
                            new AllPairsBt()
                                    .apply(
                                            m.create(new long[] {1, 2}, new Shape(1, 2)),
                                            s,
                                            null,
                                            null,
                                            Reduction.MEAN),
                    "scores",
                    "int64",
                    "expected float");
            Expect.badArgument(
                    () -> new AllPairsBt().apply(s, s, null, m.zeros(new Shape(3)), Reduction.MEAN),
                    "weight",
                    "(3)",
                    "expected (2)");
        }

        @Test
        void rejectsBadTemperatures() {
            Expect.badArgument(() -> new ListNet(0), "listnet", "labelTemperature", "(0.0)", "> 0");
            Expect.badArgument(() -> new ListNet(Double.NaN), "labelTemperature", "NaN", "finite");
        }
    }
}
