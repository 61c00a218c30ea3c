package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.model.ScriptKernel;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sum of squared gradient entries over a set of parameters, left on the device (the training
 * loop reads it together with the losses in its one host transfer per step, then {@link
 * GlobalNormClip#fromSumOfSquares} turns it into the clip factor).
 *
 * <p>Computed by libtorch's multi-tensor {@code torch._foreach_norm} (float32 accumulation per
 * tensor, the path of {@code torch.nn.utils.clip_grad_norm_}) through a {@link ScriptKernel}: one
 * native call instead of four NDArray ops per parameter. Falls back to per-parameter NDArray ops
 * when the kernel cannot be compiled. float16 gradients are measured in float32.
 */
public final class GradientNorm implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GradientNorm.class);

    private final ScriptKernel kernel;

    private GradientNorm(ScriptKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Compiles the kernel on {@code manager}'s device ({@code fused = false}, or a failure, gives
     * the per-parameter computation).
     */
    public static GradientNorm create(NDManager manager, boolean fused) {
        if (!fused) {
            return new GradientNorm(null);
        }
        try {
            return new GradientNorm(
                    ScriptKernel.compile(
                            "GradSquares",
                            "scale: Tensor,\n    grads: List[Tensor]",
                            "Tensor",
                            "s = float(scale)\n"
                                + "if s == 1.0:\n"
                                + "    norms = torch._foreach_norm([g.float() for g in grads],"
                                + " 2.0)\n"
                                + "else:\n"
                                + "    norms = torch._foreach_norm([g.float() * s for g in grads],"
                                + " 2.0)\n"
                                + "return torch.stack(norms).double().square().sum()",
                            manager));
        } catch (RuntimeException e) {
            LOG.warn(
                    "clip: fused gradient norm unavailable ({}); using per-parameter ops",
                    e.getMessage());
            return new GradientNorm(null);
        }
    }

    /** True when the multi-tensor kernel is in use. */
    public boolean isFused() {
        return kernel != null;
    }

    /**
     * {@code sum_p sum_i (g_p[i] * scale)^2} over the parameters that have a gradient, as a 0-d
     * float64 array attached to {@code into}; null when no parameter has a gradient. {@code scale}
     * (e.g. 1 / loss scale) is applied in float32 before squaring, so scaled float16 gradients
     * cannot overflow the square. Gradients are not modified. Call with grad mode off.
     */
    public NDArray sumOfSquares(Collection<NDArray> params, double scale, NDManager into) {
        if (kernel == null) {
            return perParameter(params, scale, into);
        }
        try (NDManager tmp = into.newSubManager();
                NDManager host = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDList grads = new NDList();
            // the scale stays on the host: the kernel reads it with float()
            NDArray s = host.create(scale);
            s.setName("scale");
            grads.add(s);
            for (NDArray p : params) {
                if (p.hasGradient()) {
                    NDArray g = p.getGradient();
                    g.attach(tmp);
                    g.setName("grads[]");
                    grads.add(g);
                }
            }
            if (grads.size() == 1) {
                return null;
            }
            NDArray out = kernel.run(grads).singletonOrThrow(); // on the grads' device
            out.attach(into);
            NDScope.unregister(out);
            return out;
        }
    }

    /** The same sum with NDArray ops, one parameter at a time (float64 accumulation). */
    static NDArray perParameter(Collection<NDArray> params, double scale, NDManager into) {
        try (NDManager tmp = into.newSubManager()) {
            NDList squares = new NDList();
            for (NDArray p : params) {
                if (!p.hasGradient()) {
                    continue;
                }
                NDArray g = p.getGradient();
                g.attach(tmp);
                NDArray g32 =
                        g.getDataType() == DataType.FLOAT32 ? g : g.toType(DataType.FLOAT32, false);
                NDArray s =
                        (scale == 1.0 ? g32 : g32.mul(scale))
                                .square()
                                .sum()
                                .toType(DataType.FLOAT64, false);
                s.attach(tmp);
                squares.add(s);
            }
            if (squares.isEmpty()) {
                return null;
            }
            NDArray out =
                    squares.size() == 1
                            ? squares.get(0).duplicate()
                            : NDArrays.stack(squares).sum();
            out.attach(into);
            NDScope.unregister(out);
            return out;
        }
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
    }
}
