package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One objective under test: a seeded input generator, the DJL call under test, and the independent
 * ND4J float64 oracle (MEAN reduction with the example weights in input {@code "w"}).
 */
record LossCase(String name, Gen gen, Djl djl, Oracle oracle, boolean centralDifference) {

    LossCase(String name, Gen gen, Djl djl, Oracle oracle) {
        this(name, gen, djl, oracle, true);
    }

    /**
     * A copy excluded from central differences: the loss depends on a detached batch statistic
     * (BCO's running shift), so finite differences see a dependency that autograd by design does
     * not.
     */
    LossCase detachedBatchStatistic() {
        return new LossCase(name, gen, djl, oracle, false);
    }

    /** Kinds of inputs. */
    enum Kind {
        /** Differentiable floating input (gradient checked). */
        DIFF,
        /** Floating constant (labels, masks, weights). */
        CONST,
        /** Integer constant (token counts), passed to DJL as int64. */
        INT
    }

    /** One named input. */
    record In(double[] data, long[] shape, Kind kind) {
        In copyWith(double[] d) {
            return new In(d, shape, kind);
        }
    }

    /** Draws inputs; {@code scale} multiplies the magnitude of the differentiable inputs. */
    interface Gen {
        Map<String, In> draw(Random r, double scale);
    }

    /** The DJL computation: inputs by name (weight under "w"), reduction. */
    interface Djl {
        NDArray loss(Map<String, NDArray> a, Reduction reduction);
    }

    /** The ND4J oracle: MEAN-reduced loss and gradients wrt every DIFF input. */
    interface Oracle {
        Ref.Result eval(Map<String, INDArray> a);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- generator helpers ----

    static Map<String, In> inputs() {
        return new LinkedHashMap<>();
    }

    static double[] normal(Random r, int n, double sd) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian() * sd;
        }
        return d;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + (hi - lo) * r.nextDouble();
        }
        return d;
    }

    static double[] bernoulli(Random r, int n, double p) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble() < p ? 1 : 0;
        }
        return d;
    }

    static double[] ints(Random r, int n, int lo, int hi) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + r.nextInt(hi - lo + 1);
        }
        return d;
    }

    static double[] plus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] + b[i];
        }
        return d;
    }

    static double[] scaled(double[] a, double s) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] * s;
        }
        return d;
    }

    /** Example weights in [0.5, 1.5] with one zero (a masked example). */
    static double[] weights(Random r, int n) {
        double[] w = uniform(r, n, 0.5, 1.5);
        w[r.nextInt(n)] = 0;
        return w;
    }

    static In diff(double[] d, long... shape) {
        return new In(d, shape, Kind.DIFF);
    }

    static In constant(double[] d, long... shape) {
        return new In(d, shape, Kind.CONST);
    }

    static In integer(double[] d, long... shape) {
        return new In(d, shape, Kind.INT);
    }
}
