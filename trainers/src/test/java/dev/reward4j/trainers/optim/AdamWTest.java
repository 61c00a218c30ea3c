package dev.reward4j.trainers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Sets grad(p) = coeff[step] * (p + 1) elementwise through a real backward (loss = sum(c *
     * (p^2/2 + p))).
     */
    private static void backward(Map<String, NDArray> params, double c) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                NDManager step = params.values().iterator().next().getManager().newSubManager()) {
            NDArray loss = null;
            for (NDArray p : params.values()) {
                // engine-owned scalars: a Java number operand of a recorded op can be freed by a GC
                // before backward (garbage gradients; see Scalars)
                NDArray term =
                        p.square()
                                .div(dev.reward4j.trainers.loop.Scalars.of(p, 2))
                                .add(p)
                                .mul(dev.reward4j.trainers.loop.Scalars.of(p, c))
                                .sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    private Map<String, NDArray> params() {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put(
                "layer.weight",
                manager.create(
                        new float[] {0.5f, -1.25f, 2f, 0.1f},
                        new ai.djl.ndarray.types.Shape(2, 2)));
        params.put("norm.weight", manager.create(new float[] {1f, -0.3f}));
        params.values().forEach(p -> p.setRequiresGradient(true));
        return params;
    }

    /**
     * torch.optim.AdamW in double precision, written from the torch source (single-tensor path).
     */
    private static final class TorchAdamW {
        final double[] p;
        final double[] m;
        final double[] v;
        final boolean decay;
        long t;

        TorchAdamW(float[] init, boolean decay) {
            p = new double[init.length];
            for (int i = 0; i < init.length; i++) {
                p[i] = init[i];
            }
            m = new double[init.length];
            v = new double[init.length];
            this.decay = decay;
        }

        void step(double c, double lr, AdamWConfig cfg) {
            t++;
            for (int i = 0; i < p.length; i++) {
                double g = c * (p[i] + 1);
                if (decay) {
                    p[i] *= 1 - lr * cfg.weightDecay();
                }
                m[i] = cfg.beta1() * m[i] + (1 - cfg.beta1()) * g;
                v[i] = cfg.beta2() * v[i] + (1 - cfg.beta2()) * g * g;
                double bc1 = 1 - Math.pow(cfg.beta1(), t);
                double bc2 = 1 - Math.pow(cfg.beta2(), t);
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + cfg.eps();
                p[i] -= lr / bc1 * m[i] / denom;
            }
        }
    }

    @Nested
    class ParameterGroups {
        @Test
        void eachGroupFollowsTheTorchFormulaWithItsOwnLrDecayAndBetas() {
            // torch: AdamW([{'params': [layer.weight]}, {'params': [norm.weight], 'lr': 3 * lr,
            // 'weight_decay': 0.2, 'betas': (0.8, 0.99)}], lr, weight_decay=0.1, eps=1e-3)
            // under one LambdaLR: the norm group's rate is 3x the schedule's at every step
            AdamWConfig cfg =
                    AdamWConfig.defaults()
                            .withWeightDecay(0.1)
                            .withEps(1e-3)
                            .withGroups(
                                    java.util.List.of(
                                            ParamGroup.matching("^norm\\.")
                                                    .withLrScale(3)
                                                    .withWeightDecay(0.2)
                                                    .withBetas(0.8, 0.99)));
            AdamWConfig normCfg =
                    AdamWConfig.defaults().withWeightDecay(0.2).withEps(1e-3).withBetas(0.8, 0.99);
            Map<String, NDArray> params = params();
            TorchAdamW w = new TorchAdamW(params.get("layer.weight").toFloatArray(), true);
            // the group's weight decay applies to its 1-d parameter too (torch: per group)
            TorchAdamW n = new TorchAdamW(params.get("norm.weight").toFloatArray(), true);
            double[] coeffs = {1.0, -0.5, 2.0, 0.25};
            double[] lrs = {1e-2, 2e-2, 5e-2, 1e-2};
            try (AdamW opt = new AdamW(params, cfg, manager)) {
                assertTrue(opt.isDecayed("norm.weight"));
                for (int s = 0; s < coeffs.length; s++) {
                    backward(params, coeffs[s]);
                    opt.step(lrs[s]);
                    w.step(coeffs[s], lrs[s], cfg);
                    n.step(coeffs[s], 3 * lrs[s], normCfg);
                }
                assertClose(w.p, params.get("layer.weight").toFloatArray(), 2e-6);
                assertClose(n.p, params.get("norm.weight").toFloatArray(), 2e-6);
            }
        }

        @Test
        void aZeroLrScaleFreezesItsGroupAndTheFirstMatchingGroupWins() {
            Map<String, NDArray> params = params();
            float[] norm = params.get("norm.weight").toFloatArray();
            float[] layer = params.get("layer.weight").toFloatArray();
            AdamWConfig cfg =
                    AdamWConfig.defaults()
                            .withGroups(
                                    java.util.List.of(
                                            ParamGroup.matching("norm").withLrScale(0),
                                            ParamGroup.matching("weight").withLrScale(1)));
            try (AdamW opt = new AdamW(params, cfg, manager)) {
                backward(params, 1.0);
                opt.step(0.1);
                assertClose(toDoubles(norm), params.get("norm.weight").toFloatArray(), 0);
                assertTrue(params.get("layer.weight").toFloatArray()[0] != layer[0]);
            }
        }

        @Test
        void aGroupThatMatchesNoParameterIsAnErrorNamingItsPattern() {
            AdamWConfig cfg =
                    AdamWConfig.defaults()
                            .withGroups(java.util.List.of(ParamGroup.matching("^lm_head\\.")));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new AdamW(params(), cfg, manager));
            assertTrue(e.getMessage().contains("^lm_head\\."), e.getMessage());
            assertTrue(e.getMessage().contains("layer.weight"), e.getMessage());
        }

        @Test
        void invalidGroupValuesAreRejected() {
            assertThrows(IllegalArgumentException.class, () -> ParamGroup.matching("("));
            assertThrows(
                    IllegalArgumentException.class, () -> ParamGroup.matching("x").withLrScale(-1));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ParamGroup.matching("x").withBetas(0.9, 1.0));
        }

        private double[] toDoubles(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }

    @Nested
    class Numerics {
        @Test
        void matchesTheTorchFormulaOverSeveralStepsWithDecayGroups() {
            AdamWConfig cfg = AdamWConfig.defaults().withWeightDecay(0.1).withEps(1e-3);
            Map<String, NDArray> params = params();
            TorchAdamW w = new TorchAdamW(params.get("layer.weight").toFloatArray(), true);
            TorchAdamW n = new TorchAdamW(params.get("norm.weight").toFloatArray(), false);
            double[] coeffs = {1.0, -0.5, 2.0, 0.25, -3.0, 1.5};
            double[] lrs = {1e-2, 2e-2, 5e-2, 1e-2, 3e-2, 1e-1};
            try (AdamW opt = new AdamW(params, cfg, manager)) {
                assertTrue(opt.isFused()); // the default; the per-parameter path is compared below
                for (int s = 0; s < coeffs.length; s++) {
                    backward(params, coeffs[s]);
                    opt.step(lrs[s]);
                    w.step(coeffs[s], lrs[s], cfg);
                    n.step(coeffs[s], lrs[s], cfg);
                }
                assertClose(w.p, params.get("layer.weight").toFloatArray(), 2e-6);
                assertClose(n.p, params.get("norm.weight").toFloatArray(), 2e-6);
                assertEquals(6, opt.stepCount());
            }
        }

        @Test
        void addsEpsAfterBiasCorrectionUnlikeDjl() {
            // one step, tiny gradient: torch gives p - lr * g / (|g| + eps) (bias corrections
            // cancel), DJL would use
            // eps / sqrt(1 - beta2) = 31.6x larger eps.
            AdamWConfig cfg = AdamWConfig.defaults().withWeightDecay(0).withEps(1e-4);
            NDArray p = manager.create(new float[] {0f});
            p.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("w", p);
            try (AdamW opt = new AdamW(params, cfg, manager)) {
                backward(params, 1e-4); // g = 1e-4 * (0 + 1)
                opt.step(1.0);
                assertEquals(-1e-4 / (1e-4 + 1e-4), p.getFloat(), 1e-6); // -0.5
            }
        }

        @Test
        void zeroesGradientsAfterTheUpdate() {
            Map<String, NDArray> params = params();
            try (AdamW opt = new AdamW(params, AdamWConfig.defaults(), manager)) {
                backward(params, 1.0);
                opt.step(1e-3);
                for (NDArray p : params.values()) {
                    try (NDArray g = p.getGradient()) {
                        assertEquals(0f, g.abs().sum().getFloat());
                    }
                }
            }
        }
    }

    @Nested
    class FusedUpdate {
        @Test
        void isTheDefaultOnCpu() {
            try (AdamW fused = new AdamW(params(), AdamWConfig.defaults(), manager);
                    AdamW perParameter =
                            new AdamW(params(), AdamWConfig.defaults(), manager, false)) {
                assertTrue(fused.isFused());
                assertFalse(perParameter.isFused());
            }
        }

        @Test
        void matchesThePerParameterUpdateWithDecayGroupsAndMultipliers() {
            AdamWConfig cfg = AdamWConfig.defaults().withWeightDecay(0.1).withEps(1e-3);
            Map<String, NDArray> a = params();
            Map<String, NDArray> b = params();
            double[] coeffs = {1.0, -0.5, 2.0, 0.25, -3.0, 1.5};
            double[] multipliers = {1.0, 0.5, 0.125, 1.0, 3.0, 0.01};
            try (AdamW fused = new AdamW(a, cfg, manager, true);
                    AdamW perParameter = new AdamW(b, cfg, manager, false)) {
                for (int s = 0; s < coeffs.length; s++) {
                    backward(a, coeffs[s]);
                    backward(b, coeffs[s]);
                    fused.step(1e-2 * (s + 1), multipliers[s]);
                    perParameter.step(1e-2 * (s + 1), multipliers[s]);
                }
                for (String name : a.keySet()) {
                    float[] x = a.get(name).toFloatArray();
                    float[] y = b.get(name).toFloatArray();
                    for (int i = 0; i < x.length; i++) {
                        // same formulas, float32 per element; only the kernels differ
                        assertEquals(y[i], x[i], 1e-6 * Math.max(1, Math.abs(y[i])), name + i);
                    }
                }
            }
        }

        @Test
        void float16MasterWeightsMatchThePerParameterUpdate() {
            AdamWConfig cfg =
                    AdamWConfig.defaults().withWeightDecay(0.1).withDecay(DecayRule.all());
            float[] init = {0.5f, -1.25f, 2f, 0.1f};
            NDArray a = manager.create(init).toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
            NDArray b = manager.create(init).toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> pa = Map.of("w.weight", a);
            Map<String, NDArray> pb = Map.of("w.weight", b);
            try (AdamW fused = new AdamW(pa, cfg, manager, true);
                    AdamW perParameter = new AdamW(pb, cfg, manager, false)) {
                for (double c : new double[] {1.0, -0.5, 2.0, 0.25}) {
                    backward(pa, c);
                    backward(pb, c);
                    fused.step(1e-2, 1.0 / 1024); // a loss scale of 1024 to undo
                    perParameter.step(1e-2, 1.0 / 1024);
                }
                assertTrue(fused.isFused());
                float[] x = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                float[] y = b.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(y[i], x[i], 1e-3, "element " + i); // at most one float16 ulp
                }
            }
        }

        @Test
        void aParameterWithoutGradientFallsBackForThatStepAndKeepsTheStepCount() {
            Map<String, NDArray> a = params();
            Map<String, NDArray> b = params();
            NDArray unused = manager.create(new float[] {1f, 2f});
            unused.setRequiresGradient(true); // never in a loss: no gradient buffer
            a.put("unused.weight", unused);
            try (AdamW fused = new AdamW(a, AdamWConfig.defaults(), manager, true);
                    AdamW perParameter = new AdamW(b, AdamWConfig.defaults(), manager, false)) {
                for (double c : new double[] {1.0, -2.0, 0.5}) {
                    backward(b, c);
                    backward(withoutUnused(a), c);
                    fused.step(1e-2);
                    perParameter.step(1e-2);
                }
                assertEquals(3, fused.stepCount());
                assertClose(
                        toDoubles(b.get("layer.weight").toFloatArray()),
                        a.get("layer.weight").toFloatArray(),
                        1e-6);
                assertEquals(1f, unused.getFloat(0)); // skipped, as torch skips grad None
            }
        }

        private Map<String, NDArray> withoutUnused(Map<String, NDArray> params) {
            Map<String, NDArray> out = new LinkedHashMap<>(params);
            out.remove("unused.weight");
            return out;
        }

        private double[] toDoubles(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }

    @Nested
    class Float16 {
        @Test
        void float16ParametersFollowTheFloat32TrajectoryThroughAMasterCopy() {
            AdamWConfig cfg =
                    AdamWConfig.defaults().withWeightDecay(0.1).withDecay(DecayRule.all());
            float[] init = {0.5f, -1.25f, 2f, 0.1f};
            NDArray p16 = manager.create(init).toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
            p16.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>(Map.of("w.weight", p16));
            TorchAdamW ref = new TorchAdamW(init, true);
            double[] coeffs = {1.0, -0.5, 2.0, 0.25};
            try (AdamW opt = new AdamW(params, cfg, manager)) {
                for (double c : coeffs) {
                    backward(params, c); // float16 gradients c * (p + 1)
                    opt.step(1e-2, 1.0);
                    ref.step(c, 1e-2, cfg);
                }
                float[] got =
                        p16.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < init.length; i++) {
                    assertEquals(
                            ref.p[i],
                            got[i],
                            1e-3,
                            "element " + i); // float16 rounding of the stored weights (spacing <=
                    // 9.8e-4 at 2)
                }
            }
        }

        @Test
        void aZeroFloat16GradientGivesNoUpdateInsteadOfNaN() {
            NDArray p16 =
                    manager.create(new float[] {-1f, 3f})
                            .toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
            p16.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("w", p16);
            try (AdamW opt =
                    new AdamW(params, AdamWConfig.defaults().withWeightDecay(0), manager)) {
                backward(
                        params,
                        1.0); // grad = p + 1 = (0, 4): element 0 has v = 0, eps 1e-8 must not
                // underflow
                opt.step(1e-2);
                float[] got =
                        p16.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                assertEquals(-1f, got[0]);
                assertEquals(3f - 1e-2f, got[1], 2e-3);
            }
        }
    }

    @Nested
    class Groups {
        @Test
        void decaysMatricesButNotNormsAndBiasesByDefault() {
            try (AdamW opt = new AdamW(params(), AdamWConfig.defaults(), manager)) {
                assertTrue(opt.isDecayed("layer.weight"));
                assertFalse(opt.isDecayed("norm.weight"));
            }
        }

        @Test
        void decaysEverythingWithTheAllRule() {
            try (AdamW opt =
                    new AdamW(
                            params(), AdamWConfig.defaults().withDecay(DecayRule.all()), manager)) {
                assertTrue(opt.isDecayed("norm.weight"));
            }
        }

        @Test
        void excludesNamesByPattern() {
            DecayRule rule = new DecayRule.ExcludeNames(java.util.List.of("embed_tokens"));
            assertFalse(
                    rule.decays("model.embed_tokens.weight", new ai.djl.ndarray.types.Shape(4, 4)));
            assertTrue(
                    rule.decays(
                            "model.layers.0.mlp.up_proj.weight",
                            new ai.djl.ndarray.types.Shape(4, 4)));
        }
    }

    @Nested
    class State {
        @Test
        void savedAndRestoredStateContinuesExactly(@TempDir Path dir) throws Exception {
            AdamWConfig cfg = AdamWConfig.defaults();
            Map<String, NDArray> a = params();
            Map<String, NDArray> b = params();
            try (AdamW optA = new AdamW(a, cfg, manager)) {
                for (int s = 0; s < 3; s++) {
                    backward(a, 1.0 + s);
                    optA.step(1e-2);
                }
                optA.save(dir);
                // b gets a's weights and restored state, then both take 2 more steps
                for (String k : a.keySet()) {
                    b.get(k).set(a.get(k).toFloatArray());
                }
                try (AdamW optB = new AdamW(b, cfg, manager)) {
                    optB.load(dir);
                    assertEquals(3, optB.stepCount());
                    for (int s = 3; s < 5; s++) {
                        backward(a, 1.0 + s);
                        optA.step(1e-2);
                        backward(b, 1.0 + s);
                        optB.step(1e-2);
                    }
                    for (String k : a.keySet()) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(
                                a.get(k).toFloatArray(), b.get(k).toFloatArray());
                    }
                }
            }
        }

        @Test
        void rejectsStateOfAnotherModel(@TempDir Path dir) throws Exception {
            try (AdamW opt = new AdamW(params(), AdamWConfig.defaults(), manager)) {
                opt.save(dir);
            }
            NDArray other = manager.create(new float[] {1f, 2f, 3f});
            other.setRequiresGradient(true);
            try (AdamW opt =
                    new AdamW(Map.of("other.weight", other), AdamWConfig.defaults(), manager)) {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> opt.load(dir));
                assertTrue(e.getMessage().contains("other.weight"), e.getMessage());
            }
        }
    }

    static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "index " + i);
        }
    }
}
