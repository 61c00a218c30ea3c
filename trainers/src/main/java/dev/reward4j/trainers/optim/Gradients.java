package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.function.Supplier;

/** Gradient housekeeping shared by the optimizer, the clip and the loop (PyTorch engine). */
public final class Gradients {
    private Gradients() {}

    /** Sets every parameter's gradient to zero (DJL never zeroes gradients by itself). */
    public static void zero(Collection<NDArray> params) {
        for (NDArray p : params) {
            if (p.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }

    /**
     * Names of the parameters whose gradient holds a NaN or an infinity (diagnostics for the
     * non-finite guard).
     */
    public static java.util.List<String> nonFinite(java.util.Map<String, NDArray> params) {
        java.util.List<String> bad = new java.util.ArrayList<>();
        withGradModeOff(
                () -> {
                    for (java.util.Map.Entry<String, NDArray> e : params.entrySet()) {
                        if (e.getValue().hasGradient()) {
                            try (ai.djl.ndarray.NDScope ignored = new ai.djl.ndarray.NDScope()) {
                                NDArray g = e.getValue().getGradient();
                                if (g.isNaN().any().getBoolean()
                                        || g.isInfinite().any().getBoolean()) {
                                    bad.add(e.getKey());
                                }
                            }
                        }
                    }
                    return null;
                });
        return bad;
    }

    /**
     * Runs {@code body} with autograd recording off on this thread, then restores the previous
     * mode. In-place updates of leaves that require grad are only allowed in this mode (grad mode
     * is thread-local, engine notes §6).
     */
    public static <T> T withGradModeOff(Supplier<T> body) {
        // the native library is loaded with the engine: a fresh JVM (e.g. `reward4j eval`) may
        // reach here first
        ai.djl.engine.Engine.getEngine("PyTorch");
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
