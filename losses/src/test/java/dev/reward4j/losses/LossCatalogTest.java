package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The single harness over the whole catalogue ({@link LossCatalog#all()}): oracle agreement (value
 * and every gradient, float64 and float32), central differences, and the generic properties.
 */
class LossCatalogTest {
    static final int SEEDS = 20;
    static final double TOL64 = 1e-9;
    static final double TOL32 = 1e-4;

    static NDManager manager;
    static final Map<String, double[]> worst = new ConcurrentHashMap<>();

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
        double w64 = 0;
        double w32 = 0;
        for (Map.Entry<String, double[]> e : worst.entrySet()) {
            w64 = Math.max(w64, e.getValue()[0]);
            w32 = Math.max(w32, e.getValue()[1]);
        }
        if (!worst.isEmpty()) {
            System.out.printf(
                    "losses oracle: %d objectives x %d seeds, largest relative error float64 %.3e,"
                            + " float32 %.3e%n",
                    worst.size(), SEEDS, w64, w32);
            worst.forEach(
                    (k, v) -> System.out.printf("  %-32s f64 %.2e  f32 %.2e%n", k, v[0], v[1]));
        }
    }

    static List<LossCase> cases() {
        return LossCatalog.all();
    }

    @Nested
    class Oracle {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void valueAndGradientsMatchTheNd4jFloat64Reference(LossCase c) {
            double max64 = 0;
            double max32 = 0;
            for (long seed = 0; seed < SEEDS; seed++) {
                Map<String, LossCase.In> in = Harness.draw(c, seed, 1);
                max64 = Math.max(max64, compare(c, in, DataType.FLOAT64, TOL64, seed));
                max32 =
                        Math.max(
                                max32,
                                compare(
                                        c,
                                        Harness.roundedToFloat(in),
                                        DataType.FLOAT32,
                                        TOL32,
                                        seed));
            }
            worst.put(c.name(), new double[] {max64, max32});
        }

        private double compare(
                LossCase c, Map<String, LossCase.In> in, DataType dt, double tol, long seed) {
            Ref.Result ref = Harness.oracle(c, in);
            Harness.Run run = Harness.djl(manager, c, in, dt, Reduction.MEAN, true);
            double err = Harness.relErr(run.loss(), ref.loss());
            assertTrue(
                    err <= tol,
                    () ->
                            String.format(
                                    "%s %s seed %d: loss %.17g vs reference %.17g",
                                    c, dt, seed, run.loss(), ref.loss()));
            assertEquals(ref.grads().keySet(), run.grads().keySet(), c + ": differentiable inputs");
            for (String k : ref.grads().keySet()) {
                double[] expected = Harness.flat(ref.grads().get(k));
                double[] actual = run.grads().get(k);
                double e = Harness.relErr(actual, expected);
                assertTrue(
                        e <= tol,
                        () ->
                                String.format(
                                        "%s %s seed %d: d loss / d %s relative error %.3e%n  djl"
                                                + " %s%n  ref %s",
                                        c,
                                        dt,
                                        seed,
                                        k,
                                        e,
                                        java.util.Arrays.toString(actual),
                                        java.util.Arrays.toString(expected)));
                err = Math.max(err, e);
            }
            return err;
        }
    }

    @Nested
    class Gradients {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void autogradMatchesFloat64CentralDifferences(LossCase c) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    c.centralDifference(),
                    "depends on a detached batch statistic; covered by its frozen variant");
            for (long seed = 0; seed < 3; seed++) {
                Map<String, LossCase.In> in = Harness.draw(c, 100 + seed, 1);
                Harness.Run run =
                        Harness.djl(manager, c, in, DataType.FLOAT64, Reduction.MEAN, true);
                for (Map.Entry<String, double[]> g : run.grads().entrySet()) {
                    double[] x = in.get(g.getKey()).data();
                    double[] fd = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        double h = 1e-5 * Math.max(1, Math.abs(x[i]));
                        fd[i] =
                                (lossAt(c, in, g.getKey(), i, x[i] + h)
                                                - lossAt(c, in, g.getKey(), i, x[i] - h))
                                        / (2 * h);
                    }
                    double e = Harness.relErr(g.getValue(), fd);
                    long s = seed;
                    assertTrue(
                            e <= 1e-5,
                            () ->
                                    String.format(
                                            "%s seed %d: d/d%s autograd vs central difference %.3e",
                                            c, s, g.getKey(), e));
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward(LossCase c) {
            // DJL 0.35.1 CPU: NDArray.op(Number) builds the scalar over a JVM direct buffer that a
            // GC frees
            // while autograd still holds it (see Numerics.scalar); the losses must not depend on it
            Map<String, LossCase.In> in = Harness.draw(c, 200, 1);
            Ref.Result ref = Harness.oracle(c, in);
            Harness.Run run =
                    Harness.djl(manager, c, in, DataType.FLOAT64, Reduction.MEAN, true, true);
            for (String k : ref.grads().keySet()) {
                double e = Harness.relErr(run.grads().get(k), Harness.flat(ref.grads().get(k)));
                assertTrue(
                        e <= TOL64,
                        () -> String.format("%s: d/d%s after GC, relative error %.3e", c, k, e));
            }
        }

        private double lossAt(
                LossCase c, Map<String, LossCase.In> in, String name, int i, double v) {
            Map<String, LossCase.In> copy = new LinkedHashMap<>(in);
            double[] d = in.get(name).data().clone();
            d[i] = v;
            copy.put(name, in.get(name).copyWith(d));
            return Harness.djl(manager, c, copy, DataType.FLOAT64, Reduction.MEAN, false).loss();
        }
    }

    @Nested
    class Reductions {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void unreducedSumEqualsSumReduction(LossCase c) {
            for (long seed = 0; seed < 3; seed++) {
                Map<String, LossCase.In> in = Harness.draw(c, seed, 1);
                double[] none =
                        Harness.djl(manager, c, in, DataType.FLOAT64, Reduction.NONE, false)
                                .lossArray();
                double sum =
                        Harness.djl(manager, c, in, DataType.FLOAT64, Reduction.SUM, false).loss();
                double total = 0;
                for (double v : none) {
                    total += v;
                }
                assertTrue(none.length > 1, c + ": NONE keeps the per-example losses");
                assertEquals(
                        sum, total, 1e-12 * Math.max(1, Math.abs(sum)), c + ": sum(NONE) == SUM");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void fullyMaskedBatchGivesZeroLossAndZeroNotNanGradients(LossCase c) {
            Map<String, LossCase.In> in = Harness.draw(c, 3, 1);
            LossCase.In w = in.get("w");
            in.put("w", w.copyWith(new double[w.data().length]));
            for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                for (Reduction red : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                    Harness.Run run = Harness.djl(manager, c, in, dt, red, true);
                    assertEquals(0.0, run.loss(), 0.0, c + " " + dt + " " + red + ": loss");
                    for (Map.Entry<String, double[]> g : run.grads().entrySet()) {
                        assertArrayEquals(
                                new double[g.getValue().length],
                                g.getValue(),
                                0.0,
                                c + " " + dt + " " + red + ": gradient wrt " + g.getKey());
                    }
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void zeroWeightExamplesHaveNoEffect(LossCase c) {
            Map<String, LossCase.In> in = Harness.draw(c, 4, 1);
            double[] w = in.get("w").data();
            Map<String, LossCase.In> changed = new LinkedHashMap<>(in);
            int rows = w.length;
            for (Map.Entry<String, LossCase.In> e : in.entrySet()) {
                LossCase.In v = e.getValue();
                if (v.kind() != LossCase.Kind.DIFF || v.shape()[0] != rows) {
                    continue;
                }
                double[] d = v.data().clone();
                int per = d.length / rows;
                for (int b = 0; b < rows; b++) {
                    if (w[b] == 0) {
                        for (int j = 0; j < per; j++) {
                            d[b * per + j] -= 3.5; // log-probs stay negative
                        }
                    }
                }
                changed.put(e.getKey(), v.copyWith(d));
            }
            double before =
                    Harness.djl(manager, c, in, DataType.FLOAT64, Reduction.MEAN, false).loss();
            double after =
                    Harness.djl(manager, c, changed, DataType.FLOAT64, Reduction.MEAN, false)
                            .loss();
            // (BCO's shift is a weighted batch mean, so zero-weight rows do not move it either)
            assertEquals(before, after, 1e-12 * Math.max(1, Math.abs(before)), c.name());
        }
    }

    @Nested
    class Numerics {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.LossCatalogTest#cases")
        void inputsOfMagnitude1e4GiveFiniteLossesAndGradients(LossCase c) {
            Map<String, LossCase.In> base = Harness.draw(c, 5, 1);
            double max = 0;
            for (LossCase.In v : base.values()) {
                if (v.kind() == LossCase.Kind.DIFF) {
                    for (double x : v.data()) {
                        max = Math.max(max, Math.abs(x));
                    }
                }
            }
            Map<String, LossCase.In> in = Harness.draw(c, 5, 1e4 / max);
            for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                Harness.Run run = Harness.djl(manager, c, in, dt, Reduction.MEAN, true);
                assertTrue(Double.isFinite(run.loss()), c + " " + dt + ": loss " + run.loss());
                for (Map.Entry<String, double[]> g : run.grads().entrySet()) {
                    for (double x : g.getValue()) {
                        assertTrue(
                                Double.isFinite(x),
                                c + " " + dt + ": gradient wrt " + g.getKey() + " " + x);
                    }
                }
            }
        }
    }
}
