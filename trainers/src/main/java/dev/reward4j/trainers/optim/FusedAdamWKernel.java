package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.model.ScriptKernel;
import java.util.List;
import java.util.Locale;

/**
 * The multi-tensor AdamW update of {@link AdamW}: one call of libtorch's {@code
 * torch._fused_adamw_} per parameter group (the kernel behind {@code torch.optim.AdamW(...,
 * fused=True)}, on CPU and CUDA) through a {@link ScriptKernel}, instead of about fifteen NDArray
 * ops per parameter. {@code torch._foreach_mul_} unscales and clips the gradients first (in
 * float32, as the per-parameter update does) and {@code torch._foreach_zero_} zeroes them after, so
 * a step costs a handful of native calls plus one gradient handle per parameter, and no host
 * synchronisation.
 *
 * <p>Numerics are torch's: the fused kernel computes the single-tensor update of {@code
 * torch.optim.AdamW} (decoupled decay, {@code lerp} first moment, eps added to the bias-corrected
 * root) in float32 per element, bias corrections in double. float16 parameters are updated through
 * their float32 master copies (gradients widened to float32 first), then the masters are copied
 * into the parameters.
 *
 * <p>Groups are fixed at construction (resolved hyper-parameters, float32 or master-weight); the
 * source is generated for them, with eps and each group's learning-rate multiplier, betas and
 * weight decay as constants. The learning rate and the gradient multiplier reach the kernel in a
 * small CPU array, so nothing is copied to the device per step.
 */
final class FusedAdamWKernel implements AutoCloseable {
    /**
     * One parameter group: its learning-rate multiplier, weight decay and betas, the live
     * parameters, the float32 tensors the update writes (the parameters themselves, or their
     * float32 masters when {@code master}) and the moment estimates.
     */
    record Group(
            double lrScale,
            double weightDecay,
            double beta1,
            double beta2,
            List<NDArray> params,
            List<NDArray> updated,
            List<NDArray> expAvg,
            List<NDArray> expAvgSq,
            boolean master) {}

    private final ScriptKernel kernel;
    private final List<Group> groups;
    private final NDArray step;
    private final NDManager manager;

    private FusedAdamWKernel(
            ScriptKernel kernel, List<Group> groups, NDArray step, NDManager manager) {
        this.kernel = kernel;
        this.groups = groups;
        this.step = step;
        this.manager = manager;
    }

    /**
     * Compiles the kernel for {@code groups} on {@code engineManager} (the parameters' own manager,
     * an engine manager on their device); {@code manager} (the optimizer state's) owns the step
     * counter. Throws {@link IllegalStateException} when libtorch rejects it.
     */
    static FusedAdamWKernel create(
            List<Group> groups,
            AdamWConfig config,
            long startStep,
            NDManager manager,
            NDManager engineManager) {
        StringBuilder params = new StringBuilder("hyper: Tensor,\n    step: Tensor");
        StringBuilder body = new StringBuilder();
        body.append("lr = float(hyper[0])\n");
        body.append("scale = float(hyper[1])\n");
        body.append("step.add_(1.0)\n");
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            params.append(
                    String.format(
                            Locale.ROOT,
                            ",\n    p%d: List[Tensor],\n    g%d: List[Tensor],\n"
                                    + "    m%d: List[Tensor],\n    v%d: List[Tensor]",
                            i,
                            i,
                            i,
                            i));
            if (g.master()) {
                params.append(String.format(Locale.ROOT, ",\n    h%d: List[Tensor]", i));
            }
            String grads = "g" + i;
            if (g.master()) {
                body.append(String.format(Locale.ROOT, "f%d = [x.float() for x in g%d]\n", i, i));
                grads = "f" + i;
            }
            // in float32, as the per-parameter update (1 / multiplier as the kernel's grad_scale
            // would overflow float32 under large loss scales)
            body.append(
                    String.format(
                            Locale.ROOT,
                            "if scale != 1.0:\n    torch._foreach_mul_(%s, scale)\n",
                            grads));
            body.append(
                    String.format(
                            Locale.ROOT,
                            "s%d = [step for _i in range(len(p%d))]\n"
                                    + "torch._fused_adamw_(p%d, %s, m%d, v%d, [], s%d, lr=lr * %s,"
                                    + " beta1=%s, beta2=%s, weight_decay=%s, eps=%s,"
                                    + " amsgrad=False, maximize=False, grad_scale=None,"
                                    + " found_inf=None)\n",
                            i,
                            i,
                            i,
                            grads,
                            i,
                            i,
                            i,
                            Double.toString(g.lrScale()),
                            Double.toString(g.beta1()),
                            Double.toString(g.beta2()),
                            Double.toString(g.weightDecay()),
                            Double.toString(config.eps())));
            if (g.master()) {
                body.append(String.format(Locale.ROOT, "torch._foreach_copy_(h%d, p%d)\n", i, i));
            }
            body.append(String.format(Locale.ROOT, "torch._foreach_zero_(g%d)\n", i));
        }
        body.append("return hyper");
        ScriptKernel kernel =
                ScriptKernel.compile(
                        "FusedAdamW", params.toString(), "Tensor", body.toString(), engineManager);
        NDArray step = manager.full(new Shape(), (float) startStep, DataType.FLOAT32);
        step.setName("step");
        NDScope.unregister(step);
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            // the optimizer's own arrays are named once; parameters get fresh aliases every step
            // (whoever loads weights may swap a parameter's storage, e.g. NDArray.set)
            if (g.master()) {
                for (NDArray w : g.updated()) {
                    w.setName("p" + i + "[]");
                }
            }
            for (NDArray m : g.expAvg()) {
                m.setName("m" + i + "[]");
            }
            for (NDArray v : g.expAvgSq()) {
                v.setName("v" + i + "[]");
            }
        }
        return new FusedAdamWKernel(kernel, List.copyOf(groups), step, manager);
    }

    /**
     * True when every parameter has a gradient buffer (the fused call needs them all; otherwise the
     * caller runs the per-parameter update, which skips parameters without one as torch does).
     */
    boolean ready() {
        for (Group group : groups) {
            for (NDArray p : group.params()) {
                if (!p.hasGradient()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One update of every group with learning rate {@code lr} from the gradients times {@code
     * gradMultiplier}; zeroes the gradients. Call with grad mode off.
     */
    void step(double lr, double gradMultiplier) {
        try (NDManager tmp = manager.newSubManager();
                NDManager host = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDList in = new NDList();
            // lr and multiplier stay on the host: the kernel reads them with float(), no copy to
            // the device
            NDArray hyper = host.create(new double[] {lr, gradMultiplier});
            hyper.setName("hyper");
            in.add(hyper);
            in.add(step);
            for (int i = 0; i < groups.size(); i++) {
                Group g = groups.get(i);
                if (g.master()) {
                    in.addAll(g.updated());
                } else {
                    addAliases(in, g.params(), "p" + i + "[]", tmp);
                }
                for (NDArray p : g.params()) {
                    NDArray grad = p.getGradient();
                    grad.attach(tmp);
                    grad.setName("g" + i + "[]");
                    in.add(grad);
                }
                in.addAll(g.expAvg());
                in.addAll(g.expAvgSq());
                if (g.master()) {
                    addAliases(in, g.params(), "h" + i + "[]", tmp);
                }
            }
            kernel.run(in).forEach(NDArray::close); // the returned hyper, on the host manager
        }
    }

    /** Detached aliases (same storage) of {@code arrays}, named for the kernel's list argument. */
    private static void addAliases(NDList in, List<NDArray> arrays, String name, NDManager owner) {
        for (NDArray a : arrays) {
            NDArray alias = a.stopGradient();
            alias.attach(owner);
            alias.setName(name);
            in.add(alias);
        }
    }

    /** Sets the step counter (after loading optimizer state). */
    void setStep(long value) {
        try (NDArray v = step.getManager().full(new Shape(), (float) value, DataType.FLOAT32)) {
            step.muli(0).addi(v);
        }
    }

    @Override
    public void close() {
        kernel.close();
        step.close();
    }
}
