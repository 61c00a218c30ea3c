package dev.reward4j.losses;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a {@link LossCase} on DJL (with autograd) and on the ND4J oracle. */
final class Harness {
    private Harness() {}

    /** Loss value and gradients wrt every DIFF input, as host doubles. */
    record Run(double loss, double[] lossArray, Map<String, double[]> grads) {}

    static Map<String, LossCase.In> draw(LossCase c, long seed, double scale) {
        return c.gen().draw(new Random(seed * 7919L + c.name().hashCode()), scale);
    }

    /**
     * Rounds every floating input to float32 (so the oracle sees exactly what DJL float32 sees).
     */
    static Map<String, LossCase.In> roundedToFloat(Map<String, LossCase.In> in) {
        Map<String, LossCase.In> out = new LinkedHashMap<>();
        in.forEach(
                (k, v) -> {
                    double[] d = new double[v.data().length];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = (float) v.data()[i];
                    }
                    out.put(k, v.copyWith(d));
                });
        return out;
    }

    /** Runs DJL in {@code dtype}; when {@code grad} is false no collector is opened. */
    static Run djl(
            NDManager parent,
            LossCase c,
            Map<String, LossCase.In> in,
            DataType dtype,
            Reduction red,
            boolean grad) {
        return djl(parent, c, in, dtype, red, grad, false);
    }

    /**
     * As above; with {@code gcBeforeBackward} a garbage collection (and fresh direct-buffer
     * allocations that would reuse freed memory) happens between forward and backward, which
     * exposes any tensor saved for backward whose memory belongs to an unreachable JVM buffer.
     */
    static Run djl(
            NDManager parent,
            LossCase c,
            Map<String, LossCase.In> in,
            DataType dtype,
            Reduction red,
            boolean grad,
            boolean gcBeforeBackward) {
        try (NDManager m = parent.newSubManager()) {
            Map<String, NDArray> a = new LinkedHashMap<>();
            in.forEach((k, v) -> a.put(k, create(m, v, dtype)));
            if (!grad) {
                NDArray loss = c.djl().loss(a, red);
                double[] l = loss.toType(DataType.FLOAT64, false).toDoubleArray();
                return new Run(l.length == 1 ? l[0] : Double.NaN, l, Map.of());
            }
            in.forEach(
                    (k, v) -> {
                        if (v.kind() == LossCase.Kind.DIFF) {
                            a.get(k).setRequiresGradient(true);
                        }
                    });
            double[] l;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = c.djl().loss(a, red);
                l = loss.toType(DataType.FLOAT64, false).toDoubleArray();
                if (gcBeforeBackward) {
                    collectGarbage();
                }
                gc.backward(loss.size() == 1 ? loss : loss.sum());
            }
            Map<String, double[]> g = new LinkedHashMap<>();
            in.forEach(
                    (k, v) -> {
                        if (v.kind() == LossCase.Kind.DIFF) {
                            try (NDArray gr = a.get(k).getGradient()) {
                                g.put(k, gr.toType(DataType.FLOAT64, false).toDoubleArray());
                            }
                        }
                    });
            return new Run(l.length == 1 ? l[0] : Double.NaN, l, g);
        }
    }

    /** System.gc(), a short wait for the buffer cleaner, then direct buffers filled with junk. */
    static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        java.util.List<java.nio.ByteBuffer> junk = new java.util.ArrayList<>();
        for (int i = 0; i < 256; i++) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(8);
            b.putDouble(0, 12345.678);
            junk.add(b);
        }
        if (junk.isEmpty()) {
            throw new AssertionError();
        }
    }

    static NDArray create(NDManager m, LossCase.In v, DataType dtype) {
        Shape shape = new Shape(v.shape());
        if (v.kind() == LossCase.Kind.INT) {
            long[] l = new long[v.data().length];
            for (int i = 0; i < l.length; i++) {
                l[i] = Math.round(v.data()[i]);
            }
            return m.create(l, shape);
        }
        NDArray a = m.create(v.data(), shape);
        return dtype == DataType.FLOAT64 ? a : a.toType(dtype, false);
    }

    /** The ND4J oracle on the same inputs (float64). */
    static Ref.Result oracle(LossCase c, Map<String, LossCase.In> in) {
        Map<String, INDArray> a = new LinkedHashMap<>();
        in.forEach((k, v) -> a.put(k, Ref.vec(v.data()).reshape(v.shape())));
        return c.oracle().eval(a);
    }

    static double[] flat(INDArray a) {
        return Nd4j.toFlattened(a).toDoubleVector();
    }

    /** |a - b| / |b| (absolute when b == 0). */
    static double relErr(double a, double b) {
        double d = Math.abs(a - b);
        return b == 0 ? d : d / Math.abs(b);
    }

    /** max |a - b| / max |b| (norm-wise relative error; absolute when b == 0). */
    static double relErr(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        if (Double.isNaN(num)) {
            return Double.POSITIVE_INFINITY;
        }
        return den == 0 ? num : num / den;
    }
}
