package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A parameter-free TorchScript module written by {@link TorchScriptArchive} and loaded into
 * libtorch, run in training mode so autograd records through it (DJL enters inference mode only for
 * {@code training = false}).
 *
 * <p>Results attach to the manager of the first input. Only this class and its callers depend on
 * the PyTorch engine.
 */
final class KernelModule implements AutoCloseable {
    /**
     * {@code scaled_dot_product_attention(q, k, v, mask)} with an additive float mask, default
     * scale 1/sqrt(d).
     */
    static final String SDPA_CLASS = "Sdpa";

    /** {@code silu(gate) * up}: the SwiGLU gate of Llama-family MLPs in two native ops. */
    static final String SWIGLU_CLASS = "SwiGlu";

    /** {@code x.to(float32)}: a differentiable cast (NDArray.toType cuts autograd). */
    static final String CAST_CLASS = "CastF32";

    private final String name;
    private final PtSymbolBlock block;
    private final ParameterStore store;

    private KernelModule(String name, PtSymbolBlock block, ParameterStore store) {
        this.name = name;
        this.block = block;
        this.store = store;
    }

    static byte[] sdpaArchive() {
        return TorchScriptArchive.module(
                SDPA_CLASS,
                "q: Tensor,\n    k: Tensor,\n    v: Tensor,\n    mask: Tensor",
                "return torch.scaled_dot_product_attention(q, k, v, mask)");
    }

    static byte[] swigluArchive() {
        return TorchScriptArchive.module(
                SWIGLU_CLASS,
                "gate: Tensor,\n    up: Tensor",
                "return torch.mul(torch.silu(gate), up)");
    }

    /** {@code rms_norm(x, [d], w, eps)}: RMSNorm in libtorch's form (rsqrt and two products). */
    static final String RMSNORM_CLASS = "RmsNorm";

    static byte[] rmsNormArchive(double eps) {
        return TorchScriptArchive.module(
                RMSNORM_CLASS,
                "x: Tensor,\n    w: Tensor",
                "return torch.rms_norm(x, [x.size(-1)], w, " + Double.toString(eps) + ")");
    }

    static byte[] castArchive() {
        // ScalarType 6 = float32
        return TorchScriptArchive.module(CAST_CLASS, "x: Tensor", "return torch.to(x, 6)");
    }

    /**
     * Loads {@code archive} onto the device of {@code manager} (which must be a PyTorch manager).
     *
     * @throws IllegalStateException when the engine is not PyTorch or libtorch rejects the archive
     */
    static KernelModule load(String name, byte[] archive, NDManager manager) {
        if (!(manager instanceof PtNDManager pt)) {
            throw new IllegalStateException(
                    "kernel module "
                            + name
                            + ": needs the PyTorch engine (manager engine "
                            + manager.getEngine().getEngineName()
                            + ")");
        }
        try {
            PtSymbolBlock block =
                    JniUtils.loadModule(pt, new ByteArrayInputStream(archive), true, false);
            return new KernelModule(name, block, new ParameterStore(manager, false));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "kernel module " + name + ": libtorch could not load it: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code forward(inputs...)} under autograd; the result is attached to the first input's
     * manager.
     */
    NDArray run(NDArray... inputs) {
        NDList out = block.forward(store, new NDList(inputs), true);
        return out.singletonOrThrow();
    }

    /** Runs {@code forward} on named inputs (DJL list/tuple naming); all outputs. */
    NDList runList(NDList inputs) {
        return block.forward(store, inputs, true);
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        block.close();
    }
}
