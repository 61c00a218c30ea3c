package dev.reward4j.trainers.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.step.PolicyPairsStep;
import dev.reward4j.trainers.step.TinyTasks;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics ride along the DPO step: same loss and gradients as without them, every
 * diagnostic metric present, and the idealized ranking accuracy from the reference by its formula.
 */
class PairDiagnosticsTest {
    record Run(double loss, Map<String, Double> metrics, Map<String, float[]> grads) {}

    static Run step(
            DecoderModel policy, FrozenReference ref, PairDiagnostics diagnostics, List<Seq[]> p) {
        PolicyPairsStep step =
                new PolicyPairsStep(
                        policy, PairwisePolicyObjective.Dpo.defaults(), ref, diagnostics);
        try (NDManager m = policy.manager().newSubManager();
                PairBatch batch = TinyTasks.pairBatch(p, Collections.nCopies(p.size(), "p"), m)) {
            StepResult r;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                r = step.compute(batch, new StepContext(1, 0, 1, m, true));
                gc.backward(r.loss());
            }
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : policy.parameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    grads.put(e.getKey(), g.toFloatArray());
                    g.subi(g);
                }
            }
            return new Run(r.loss().getFloat(), r.metrics().means(), grads);
        }
    }

    @Test
    void diagnosticsChangeNeitherTheLossNorTheGradientsAndReportEveryMetric() {
        List<Seq[]> pairs = TinyTasks.policyPairs(6, 11);
        try (DecoderModel policy =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 5, ModelOptions.defaults());
                DecoderModel refModel =
                        DecoderModel.create(
                                TinyTasks.tinyLlama(), ModelHead.LM, 8, ModelOptions.defaults())) {
            policy.setTrainable(true);
            FrozenReference ref = new FrozenReference(refModel);
            Run plain = step(policy, ref, null, pairs);
            PairDiagnostics d = new PairDiagnostics(4, new PreferenceProbability.Constant(0.6), 2);
            Run diag = step(policy, ref, d, pairs);
            assertEquals(plain.loss(), diag.loss(), 0);
            for (String k : plain.grads().keySet()) {
                assertArrayEquals(plain.grads().get(k), diag.grads().get(k), k);
            }
            for (String k : plain.metrics().keySet()) {
                assertEquals(plain.metrics().get(k), diag.metrics().get(k), 1e-9, k);
            }
            for (String k :
                    List.of(
                            MetricNames.CHES,
                            MetricNames.CHES_LENGTH_NORMALIZED,
                            MetricNames.TOPK_ENTROPY,
                            MetricNames.TOPK_MASS,
                            MetricNames.IDEALIZED_RANKING_ACCURACY,
                            MetricNames.ALIGNMENT_GAP)) {
                assertTrue(diag.metrics().containsKey(k), k + " in " + diag.metrics());
            }
            assertFalse(plain.metrics().containsKey(MetricNames.CHES));
            // idealized: reference gap + log(0.6/0.4) / 2 > 0, pair by pair
            double expected = 0;
            try (NDManager m = refModel.manager().newSubManager();
                    PairBatch b =
                            TinyTasks.pairBatch(pairs, Collections.nCopies(pairs.size(), "p"), m)) {
                float[] s = ref.chosenAndRejected(b, m).toFloatArray();
                int n = pairs.size();
                for (int i = 0; i < n; i++) {
                    expected += s[i] - s[n + i] + Math.log(0.6 / 0.4) / 2 > 0 ? 1 : 0;
                }
            }
            assertEquals(
                    expected / pairs.size(),
                    diag.metrics().get(MetricNames.IDEALIZED_RANKING_ACCURACY),
                    1e-12);
            assertEquals(
                    diag.metrics().get(MetricNames.IDEALIZED_RANKING_ACCURACY)
                            - diag.metrics().get(MetricNames.POLICY_RANKING_ACCURACY),
                    diag.metrics().get(MetricNames.ALIGNMENT_GAP),
                    1e-12);
            double mass = diag.metrics().get(MetricNames.TOPK_MASS);
            assertTrue(mass > 4.0 / TinyTasks.VOCAB && mass < 1, "top-4 mass " + mass);
        }
    }

    @Test
    void withoutAReferenceThereIsNoIdealizedRankingAndTheProbabilityMayComeFromTheMargin() {
        List<Seq[]> pairs = TinyTasks.policyPairs(4, 12);
        try (DecoderModel policy =
                DecoderModel.create(
                        TinyTasks.tinyLlama(), ModelHead.LM, 5, ModelOptions.defaults())) {
            policy.setTrainable(true);
            PolicyPairsStep simpo =
                    new PolicyPairsStep(
                            policy,
                            PairwisePolicyObjective.SimPo.defaults(),
                            null,
                            PairDiagnostics.defaults(2));
            try (NDManager m = policy.manager().newSubManager();
                    PairBatch batch = TinyTasks.pairBatch(pairs, Collections.nCopies(4, "p"), m)) {
                Map<String, Double> metrics =
                        simpo.compute(batch, new StepContext(1, 0, 1, m, false)).metrics().means();
                assertTrue(metrics.containsKey(MetricNames.CHES));
                assertFalse(metrics.containsKey(MetricNames.IDEALIZED_RANKING_ACCURACY));
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> new PreferenceProbability.FromMargin().logOdds(batch));
                assertTrue(e.getMessage().contains("margin"), e.getMessage());
            }
        }
    }
}
