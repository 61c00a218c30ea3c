package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DensityRatioClassifierTest {
    /** Two overlapping Gaussian classes in 3 dimensions, unbalanced 30 / 12. */
    static double[][] x;

    static boolean[] y;

    static {
        Random r = new Random(5);
        x = new double[42][3];
        y = new boolean[42];
        for (int i = 0; i < 42; i++) {
            y[i] = i < 30;
            for (int j = 0; j < 3; j++) {
                x[i][j] = r.nextGaussian() + (y[i] ? 0.6 : -0.4) * (j + 1);
            }
        }
    }

    @Test
    void theFitSatisfiesScikitLearnsOptimalityConditions() {
        // min 1/2 |w|^2 + C sum_i s_i log(1 + e^{-y_i (w x_i + b)}), s_i = n / (2 n_class):
        // at the optimum w = -C sum_i s_i (sigma_i - t_i) x_i and sum_i s_i (sigma_i - t_i) = 0
        DensityRatioClassifier c = DensityRatioClassifier.fit(x, y);
        double[] w = c.weights();
        double[] g = w.clone();
        double gb = 0;
        for (int i = 0; i < x.length; i++) {
            double s = 42.0 / (2 * (y[i] ? 30 : 12));
            double r = s * (c.probabilityDesirable(x[i]) - (y[i] ? 1 : 0));
            for (int j = 0; j < 3; j++) {
                g[j] += r * x[i][j];
            }
            gb += r;
        }
        assertArrayEquals(new double[3], g, 1e-9);
        assertEquals(0, gb, 1e-9);
        assertTrue(w[0] > 0 && w[1] > 0 && w[2] > 0, java.util.Arrays.toString(w));
    }

    @Test
    void balancedWeightsMakeTheInterceptZeroForSymmetricClasses() {
        // points +-1 in one dimension, 5 desirable at +1, 2 undesirable at -1: balanced weights
        // make the problem symmetric, so b = 0 and p(+1) = 1 - p(-1)
        double[][] xs = new double[7][];
        boolean[] ys = new boolean[7];
        for (int i = 0; i < 7; i++) {
            ys[i] = i < 5;
            xs[i] = new double[] {ys[i] ? 1 : -1};
        }
        DensityRatioClassifier c = DensityRatioClassifier.fit(xs, ys);
        assertEquals(0, c.intercept(), 1e-12);
        assertEquals(
                1, c.probabilityDesirable(new double[] {1}) + c.probabilityDesirable(xs[6]), 1e-12);
    }

    @Test
    void udmWeightsAreOneForDesirableAndTheClippedRatioForUndesirable() {
        DensityRatioClassifier c = DensityRatioClassifier.fit(x, y);
        double[][] e = {x[0], x[40], {9, 9, 9}, {-9, -9, -9}};
        double[] w = c.weights(e, new double[] {1, 0, 0, 0}, 0.5, 10);
        assertEquals(1, w[0], 0);
        double p = c.probabilityDesirable(x[40]);
        assertEquals(Math.min(10, Math.max(0.5, p / (1 - p + 1e-8))), w[1], 1e-15);
        assertEquals(10, w[2], 0); // far on the desirable side: clipped at max_density_ratio
        assertEquals(0.5, w[3], 0); // far on the undesirable side: clipped at min_density_ratio
    }

    @Test
    void rejectsOneClassAndRaggedRows() {
        Expect.badArgument(
                () ->
                        DensityRatioClassifier.fit(
                                new double[][] {{1}, {2}}, new boolean[] {true, true}),
                "bco-udm",
                "one class");
        Expect.badArgument(
                () ->
                        DensityRatioClassifier.fit(
                                new double[][] {{1}, {2, 3}}, new boolean[] {true, false}),
                "bco-udm",
                "differ");
    }
}
