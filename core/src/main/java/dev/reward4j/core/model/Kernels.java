package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional TorchScript kernel modules of a model: fused attention (by {@link AttentionImpl}),
 * with it the SwiGLU gate ({@code silu(gate) * up} as two native ops with libtorch's fused SiLU
 * backward, instead of five NDArray ops forward and backward) and RMSNorm (libtorch's {@code
 * rms_norm}: rsqrt and products, a cheaper backward than sqrt and division) and, for FLOAT16
 * models, a differentiable cast of head outputs to FLOAT32. {@link AttentionImpl#EAGER} uses
 * NDArray ops only.
 */
final class Kernels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);

    private final AttentionKernel attention;
    private final KernelModule cast;
    private final KernelModule sdpa;
    private final KernelModule swiglu;
    private final KernelModule rms;
    private final double rmsEps;

    private Kernels(
            AttentionKernel attention,
            KernelModule sdpa,
            KernelModule cast,
            KernelModule swiglu,
            KernelModule rms,
            double rmsEps) {
        this.attention = attention;
        this.sdpa = sdpa;
        this.cast = cast;
        this.swiglu = swiglu;
        this.rms = rms;
        this.rmsEps = rmsEps;
    }

    static Kernels load(NDManager manager, ModelOptions options, double normEps) {
        KernelModule sdpa = null;
        if (options.attention() != AttentionImpl.EAGER) {
            try {
                sdpa =
                        KernelModule.load(
                                KernelModule.SDPA_CLASS, KernelModule.sdpaArchive(), manager);
                smokeTest(sdpa, manager, options.dtype());
            } catch (RuntimeException e) {
                if (sdpa != null) {
                    sdpa.close();
                    sdpa = null;
                }
                if (options.attention() == AttentionImpl.FUSED) {
                    throw new IllegalStateException(
                            "model: fused attention unavailable ("
                                    + e.getMessage()
                                    + "); use AttentionImpl.EAGER or AUTO",
                            e);
                }
                LOG.warn(
                        "model: fused attention unavailable ({}); AUTO falls back to eager"
                                + " attention",
                        e.getMessage());
            }
        }
        KernelModule cast = null;
        if (options.dtype() != DataType.FLOAT32) {
            try {
                cast =
                        KernelModule.load(
                                KernelModule.CAST_CLASS, KernelModule.castArchive(), manager);
            } catch (RuntimeException e) {
                LOG.warn(
                        "model: differentiable cast module unavailable ({}); {} head outputs are"
                                + " cast with toType, which does not propagate gradients",
                        e.getMessage(),
                        options.dtype());
            }
        }
        KernelModule swiglu = null;
        KernelModule rms = null;
        if (sdpa != null) {
            swiglu = optional(KernelModule.SWIGLU_CLASS, KernelModule.swigluArchive(), manager);
            rms =
                    optional(
                            KernelModule.RMSNORM_CLASS,
                            KernelModule.rmsNormArchive(normEps),
                            manager);
        }
        AttentionKernel attention =
                sdpa == null ? new AttentionKernel.Eager() : new AttentionKernel.Fused(sdpa);
        return new Kernels(attention, sdpa, cast, swiglu, rms, normEps);
    }

    private static KernelModule optional(String name, byte[] archive, NDManager manager) {
        try {
            return KernelModule.load(name, archive, manager);
        } catch (RuntimeException e) {
            LOG.warn("model: {} kernel unavailable ({}); using NDArray ops", name, e.getMessage());
            return null;
        }
    }

    private static void smokeTest(KernelModule sdpa, NDManager manager, DataType dtype) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray q = tmp.ones(new Shape(1, 1, 2, 2), dtype);
            NDArray mask = tmp.zeros(new Shape(1, 1, 2, 2), dtype);
            NDArray out = sdpa.run(q, q, q, mask);
            if (!out.getShape().equals(q.getShape())) {
                throw new IllegalStateException("sdpa smoke test returned shape " + out.getShape());
            }
        }
    }

    AttentionKernel attention() {
        return attention;
    }

    /** {@code act(gate) * up}; SiLU through the SwiGLU kernel when it is loaded. */
    NDArray gated(Activation act, NDArray gate, NDArray up) {
        if (act == Activation.SILU && swiglu != null) {
            return swiglu.run(gate, up);
        }
        return act.apply(gate).mul(up);
    }

    /** RMSNorm over the last axis; libtorch's {@code rms_norm} when its kernel is loaded. */
    NDArray rmsNorm(NDArray x, NDArray w, double eps) {
        if (rms != null && eps == rmsEps) {
            // an unnamed view of the weight (gradients flow through it): DJL reads a dotted array
            // name
            // such as an HF parameter name as a TorchScript dict entry
            NDArray view = w.reshape(w.getShape());
            view.attach(x.getManager());
            return rms.run(x, view);
        }
        return Ops.rmsNorm(x, w, eps);
    }

    /** {@code x} as FLOAT32, differentiably when the cast module is loaded. */
    NDArray toFloat32(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x;
        }
        return cast != null ? cast.run(x) : x.toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        if (sdpa != null) {
            sdpa.close();
        }
        if (cast != null) {
            cast.close();
        }
        if (swiglu != null) {
            swiglu.close();
        }
        if (rms != null) {
            rms.close();
        }
    }
}
