package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with exactly the update of {@code torch.optim.AdamW} (single-tensor path), written in
 * NDArray ops.
 *
 * <p>At step \( t \) with learning rate \( \eta \), for every parameter \( p \) with gradient \( g
 * \):
 *
 * <pre>
 *   p   &lt;- p * (1 - eta * lambda)                 (only when the DecayRule decays p)
 *   m   &lt;- m + (1 - beta1) * (g - m)             (torch lerp_)
 *   v   &lt;- beta2 * v + (1 - beta2) * g * g
 *   den &lt;- sqrt(v) / sqrt(1 - beta2^t) + eps
 *   p   &lt;- p - (eta / (1 - beta1^t)) * m / den
 * </pre>
 *
 * <p>Unlike DJL's {@code AdamW}, eps is added to the bias-corrected \( \sqrt{\hat v} \) as torch
 * does, weight decay follows parameter groups (a {@link DecayRule}) and the state never leaks (it
 * lives in this optimizer's own manager, closed by {@link #close()}). {@link #step(double)} runs
 * with grad mode off and zeroes the gradients afterwards. State is float32; float16 parameters get
 * a float32 master copy (the update happens there, then is rounded into the parameter), so float16
 * training keeps torch-AMP-like optimizer numerics.
 *
 * <p>Parameter groups ({@link AdamWConfig#groups()}, torch's {@code param_groups}) give the
 * parameters whose names match a pattern their own learning-rate multiplier, weight decay and
 * betas; in the formulas above each parameter then uses its group's \( \eta \), \( \lambda \), \(
 * \beta_1 \), \( \beta_2 \).
 *
 * <p><b>Fused update.</b> By default the update runs as libtorch's multi-tensor {@code
 * torch._fused_adamw_} (the {@code fused=True} kernel of {@code torch.optim.AdamW}) through a
 * run-time compiled TorchScript function: one native call per parameter group instead of about
 * fifteen NDArray ops per parameter, gradients unscaled inside the kernel and zeroed with {@code
 * torch._foreach_zero_}, no host synchronisation. When that function cannot be compiled, or on a
 * step where some parameter has no gradient, the per-parameter NDArray update above runs instead
 * (same formulas; results agree within float32 rounding). {@code -Dreward4j.adamw.fused=false} or
 * the {@link #AdamW(Map, AdamWConfig, NDManager, boolean)} constructor chooses the per-parameter
 * update.
 */
public final class AdamW implements Optimizer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdamW.class);
    private static final String STATE_FILE = "optimizer.safetensors";
    private static final String META_FILE = "optimizer.json";

    private final AdamWConfig config;
    private final Map<String, NDArray> params;
    private final Map<String, Boolean> decayed = new LinkedHashMap<>();
    private final Map<String, Hyper> hyper = new LinkedHashMap<>();
    private final NDManager stateManager;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private final Map<String, NDArray> master = new LinkedHashMap<>();
    private final FusedAdamWKernel fused;
    private long step;

    /**
     * Creates the optimizer and its zero state for {@code params} (name to parameter, in a stable
     * order).
     *
     * @param params the trainable parameters; kept by reference and updated in place
     * @param config hyper-parameters
     * @param parent manager whose sub-manager will own the state (same device as the parameters);
     *     must not be inside an {@code NDScope} that closes before the optimizer
     */
    public AdamW(Map<String, NDArray> params, AdamWConfig config, NDManager parent) {
        this(
                params,
                config,
                parent,
                Boolean.parseBoolean(System.getProperty("reward4j.adamw.fused", "true")));
    }

    /**
     * Creates the optimizer, choosing the update: {@code fused} = libtorch's multi-tensor kernel
     * (falls back to the per-parameter update, with a warning, when it cannot be compiled), else
     * the per-parameter NDArray update.
     */
    public AdamW(Map<String, NDArray> params, AdamWConfig config, NDManager parent, boolean fused) {
        Checks.argument(
                !params.isEmpty(),
                "adamw: no parameters to optimize (0); pass the model's trainable parameters");
        this.config = config;
        this.params = new LinkedHashMap<>(params);
        List<ParamGroup> unused = new ArrayList<>(config.groups());
        for (Map.Entry<String, NDArray> e : this.params.entrySet()) {
            ParamGroup group = groupOf(e.getKey(), config);
            unused.remove(group);
            boolean decays =
                    group == null || group.weightDecay() == null
                            ? config.decay().decays(e.getKey(), e.getValue().getShape())
                            : group.weightDecay() > 0;
            decayed.put(e.getKey(), decays);
            hyper.put(e.getKey(), Hyper.of(group, decays, config));
        }
        Checks.argument(
                unused.isEmpty(),
                () ->
                        "adamw: parameter group pattern(s) "
                                + unused.stream().map(ParamGroup::pattern).toList()
                                + " match no parameter (or only parameters an earlier group took);"
                                + " expected patterns (Java regex, find) matching names such as "
                                + this.params.keySet().stream().limit(5).toList());
        this.stateManager = parent.newSubManager();
        for (Map.Entry<String, NDArray> e : this.params.entrySet()) {
            NDArray p = e.getValue();
            // state (and, for float16 parameters, a float32 master copy) is float32: eps 1e-8
            // underflows in float16
            NDArray m = stateManager.zeros(p.getShape(), DataType.FLOAT32, p.getDevice());
            NDArray v = stateManager.zeros(p.getShape(), DataType.FLOAT32, p.getDevice());
            NDScope.unregister(m, v);
            expAvg.put(e.getKey(), m);
            expAvgSq.put(e.getKey(), v);
            if (p.getDataType() != DataType.FLOAT32) {
                NDArray w = p.toType(DataType.FLOAT32, true);
                w.attach(stateManager);
                NDScope.unregister(w);
                master.put(e.getKey(), w);
            }
        }
        this.fused = fused ? compileFused() : null;
    }

    /**
     * Groups the parameters by their resolved hyper-parameters and master copy and compiles the
     * fused kernel; null when it fails.
     */
    private FusedAdamWKernel compileFused() {
        // one kernel group per (resolved hyper-parameters, master copy or not)
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            byGroup.computeIfAbsent(
                            hyper.get(name) + "/" + master.containsKey(name),
                            k -> new ArrayList<>())
                    .add(name);
        }
        List<FusedAdamWKernel.Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<String>> g : byGroup.entrySet()) {
            List<String> names = g.getValue();
            Hyper h = hyper.get(names.get(0));
            boolean isMaster = master.containsKey(names.get(0));
            List<NDArray> live = names.stream().map(params::get).toList();
            groups.add(
                    new FusedAdamWKernel.Group(
                            h.lrScale(),
                            h.weightDecay(),
                            h.beta1(),
                            h.beta2(),
                            live,
                            isMaster ? names.stream().map(master::get).toList() : live,
                            names.stream().map(expAvg::get).toList(),
                            names.stream().map(expAvgSq::get).toList(),
                            isMaster));
        }
        try {
            // compiled on the parameters' own (engine) manager, the counter lives with the state
            NDManager engineManager = params.values().iterator().next().getManager();
            return FusedAdamWKernel.create(groups, config, step, stateManager, engineManager);
        } catch (RuntimeException e) {
            LOG.warn(
                    "adamw: fused multi-tensor update unavailable ({}); using the per-parameter"
                            + " update",
                    e.getMessage());
            return null;
        }
    }

    /** True when updates run as libtorch's fused multi-tensor kernel. */
    @Override
    public boolean isFused() {
        return fused != null;
    }

    /** The first group whose pattern matches {@code name}; null = the default group. */
    private static ParamGroup groupOf(String name, AdamWConfig config) {
        for (ParamGroup g : config.groups()) {
            if (g.matches(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * The resolved settings of one parameter.
     *
     * @param lrScale multiplier of the step's learning rate
     * @param weightDecay decay coefficient (0 when the parameter is not decayed)
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     */
    private record Hyper(double lrScale, double weightDecay, double beta1, double beta2) {
        static Hyper of(ParamGroup group, boolean decays, AdamWConfig config) {
            double wd =
                    !decays
                            ? 0
                            : group == null || group.weightDecay() == null
                                    ? config.weightDecay()
                                    : group.weightDecay();
            if (group == null) {
                return new Hyper(1.0, wd, config.beta1(), config.beta2());
            }
            return new Hyper(
                    group.lrScale(),
                    wd,
                    group.beta1() == null ? config.beta1() : group.beta1(),
                    group.beta2() == null ? config.beta2() : group.beta2());
        }
    }

    /** The hyper-parameters. */
    public AdamWConfig config() {
        return config;
    }

    /** Number of updates applied so far (torch's {@code state['step']}). */
    public long stepCount() {
        return step;
    }

    /** True when parameter {@code name} is in the weight-decay group. */
    public boolean isDecayed(String name) {
        Boolean d = decayed.get(name);
        Checks.argument(
                d != null,
                () -> "adamw: unknown parameter '" + name + "'; known: " + decayed.keySet());
        return d;
    }

    /** The optimized parameters, in order. */
    @Override
    public Collection<NDArray> parameters() {
        return params.values();
    }

    /** The optimized parameters by name, in order (unmodifiable). */
    @Override
    public Map<String, NDArray> namedParameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /**
     * Applies one AdamW update with learning rate {@code lr} from the current gradients, then
     * zeroes them. Parameters without a gradient buffer are skipped (as torch skips {@code grad is
     * None}).
     */
    public void step(double lr) {
        step(lr, 1.0);
    }

    /**
     * Applies one update from the gradients multiplied by {@code gradMultiplier} (unscaling and
     * clipping, see {@link GlobalNormClip.Result#gradMultiplier()}), in float32: float16 parameters
     * are updated through their float32 master copy and then overwritten with its rounded value.
     * Zeroes the gradients.
     */
    @Override
    public void step(double lr, double gradMultiplier) {
        Checks.argument(
                Double.isFinite(gradMultiplier) && gradMultiplier > 0,
                () ->
                        "adamw: gradient multiplier must be finite and > 0 (got "
                                + gradMultiplier
                                + ")");
        Checks.argument(
                Double.isFinite(lr) && lr >= 0,
                () -> "adamw: lr must be finite and >= 0 (got " + lr + ")");
        step++;
        if (fused != null && fused.ready()) {
            Gradients.withGradModeOff(
                    () -> {
                        fused.step(lr, gradMultiplier);
                        return null;
                    });
            return;
        }
        if (fused != null) {
            // the fused kernel keeps its own step counter: keep it in line with this update
            long s = step;
            Gradients.withGradModeOff(
                    () -> {
                        fused.setStep(s);
                        return null;
                    });
        }
        Gradients.withGradModeOff(
                () -> {
                    for (Map.Entry<String, NDArray> e : params.entrySet()) {
                        NDArray p = e.getValue();
                        if (!p.hasGradient()) {
                            continue;
                        }
                        // Temporaries (gradient handle, g - m, ...) die with this scope; the state
                        // was created eagerly outside it.
                        try (NDScope ignored = new NDScope()) {
                            NDArray raw = p.getGradient();
                            NDArray g =
                                    raw.getDataType() == DataType.FLOAT32
                                            ? raw
                                            : raw.toType(DataType.FLOAT32, false);
                            if (gradMultiplier != 1.0) {
                                g = g.mul(gradMultiplier);
                            }
                            Hyper h = hyper.get(e.getKey());
                            double groupLr = lr * h.lrScale();
                            double b1 = h.beta1();
                            double b2 = h.beta2();
                            double stepSize = groupLr / (1 - Math.pow(b1, step));
                            double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
                            NDArray w = master.getOrDefault(e.getKey(), p);
                            NDArray m = expAvg.get(e.getKey());
                            NDArray v = expAvgSq.get(e.getKey());
                            if (h.weightDecay() != 0) {
                                w.muli(1 - groupLr * h.weightDecay());
                            }
                            m.addi(g.sub(m).muli(1 - b1));
                            v.muli(b2).addi(g.mul(g).muli(1 - b2));
                            NDArray denom = v.sqrt().divi(bc2Sqrt).addi(config.eps());
                            w.subi(m.div(denom).muli(stepSize));
                            if (w != p) {
                                p.set(new NDIndex("..."), w.toType(p.getDataType(), false));
                            }
                        }
                    }
                    Gradients.zero(params.values());
                    return null;
                });
    }

    /**
     * Writes {@code optimizer.safetensors} (exp_avg / exp_avg_sq per parameter) and {@code
     * optimizer.json} to {@code dir}.
     */
    @Override
    public void save(Path dir) throws IOException {
        NDList list = new NDList();
        List<NDArray> copies = new ArrayList<>();
        for (String name : params.keySet()) {
            list.add(named(expAvg.get(name), "exp_avg." + name, copies));
            list.add(named(expAvgSq.get(name), "exp_avg_sq." + name, copies));
            if (master.containsKey(name)) {
                list.add(named(master.get(name), "master." + name, copies));
            }
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(STATE_FILE))) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        } finally {
            copies.forEach(NDArray::close);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "reward4j-adamw/1");
        meta.put("step", step);
        meta.put("parameters", new ArrayList<>(params.keySet()));
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(META_FILE).toFile(), meta);
    }

    private static NDArray named(NDArray state, String name, List<NDArray> copies) {
        // encode needs host memory; a CPU copy keeps the live state untouched (and unnamed)
        NDArray c = state.toDevice(ai.djl.Device.cpu(), true);
        copies.add(c);
        c.setName(name);
        return c;
    }

    /**
     * Restores state written by {@link #save(Path)}. The parameter names, shapes and dtypes must
     * match this optimizer's.
     *
     * @throws IllegalArgumentException when the saved state does not fit these parameters
     */
    @Override
    public void load(Path dir) throws IOException {
        JsonNode meta = new ObjectMapper().readTree(dir.resolve(META_FILE).toFile());
        Checks.argument(
                "reward4j-adamw/1".equals(meta.path("format").asText()),
                () ->
                        "adamw: "
                                + dir.resolve(META_FILE)
                                + " has format '"
                                + meta.path("format").asText()
                                + "'; expected 'reward4j-adamw/1'");
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        try (NDManager tmp = stateManager.newSubManager();
                InputStream in = Files.newInputStream(dir.resolve(STATE_FILE))) {
            for (NDArray a : NDList.decode(tmp, in)) {
                loaded.put(a.getName(), a);
            }
            int expected = 0;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                copyInto(loaded, "exp_avg." + e.getKey(), expAvg.get(e.getKey()), dir);
                copyInto(loaded, "exp_avg_sq." + e.getKey(), expAvgSq.get(e.getKey()), dir);
                expected += 2;
                if (master.containsKey(e.getKey())) {
                    copyInto(loaded, "master." + e.getKey(), master.get(e.getKey()), dir);
                    expected++;
                }
            }
            int expectedArrays = expected;
            Checks.argument(
                    loaded.size() == expectedArrays,
                    () ->
                            "adamw: "
                                    + dir.resolve(STATE_FILE)
                                    + " holds "
                                    + loaded.size()
                                    + " state arrays; expected "
                                    + expectedArrays
                                    + " for "
                                    + params.size()
                                    + " parameters. Was it saved for another model or dtype?");
        }
        step = meta.path("step").asLong();
        if (fused != null) {
            long s = step;
            Gradients.withGradModeOff(
                    () -> {
                        fused.setStep(s);
                        return null;
                    });
        }
    }

    private static void copyInto(
            Map<String, NDArray> loaded, String key, NDArray target, Path dir) {
        NDArray src = loaded.get(key);
        Checks.argument(
                src != null,
                () ->
                        "adamw: "
                                + dir.resolve(STATE_FILE)
                                + " has no '"
                                + key
                                + "'; the optimizer state does not match the model");
        Checks.argument(
                src.getShape().equals(target.getShape())
                        && src.getDataType() == target.getDataType(),
                () ->
                        "adamw: '"
                                + key
                                + "' is "
                                + src.getDataType()
                                + src.getShape()
                                + " in "
                                + dir
                                + "; expected "
                                + target.getDataType()
                                + target.getShape());
        Gradients.withGradModeOff(
                () -> {
                    try (NDArray onDevice = src.toDevice(target.getDevice(), true)) {
                        target.muli(0).addi(onDevice);
                    }
                    return null;
                });
    }

    /** Frees the optimizer state. */
    @Override
    public void close() {
        if (fused != null) {
            fused.close();
        }
        stateManager.close();
    }
}
