package dev.reward4j.trainers.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chunked objective (statistics without autograd, nested backward into leaf copies, gradient
 * surrogate through the LM head) gives the loss and every parameter gradient of the direct
 * full-vocabulary form, including TDPO2's stop-gradient and learned SparsePO masks.
 */
class TokenPairsStepTest {
    record Result(double loss, Map<String, float[]> grads) {}

    static Result step(
            DecoderModel policy,
            DecoderModel ref,
            TokenPreferenceObjective loss,
            TokenMaskSource masks,
            int chunk) {
        Map<String, NDArray> params = new LinkedHashMap<>(policy.parameters());
        params.putAll(masks == null ? Map.of() : masks.parameters());
        try (NDManager m = policy.manager().newSubManager()) {
            List<Tiny.Pair> pairs = Tiny.jointPairs(6, 3);
            PairBatch batch = Tiny.pairBatch(pairs, List.of("a", "b", "c", "d", "e", "f"), m);
            TokenPairsStep o = new TokenPairsStep(policy, ref, loss, masks, chunk);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                StepResult r = o.compute(batch, new StepContext(1, 0, 1, m, true));
                value = r.loss().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                gc.backward(r.loss());
            }
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    grads.put(e.getKey(), g.toFloatArray());
                    g.subi(g);
                }
            }
            return new Result(value, grads);
        }
    }

    static void assertSame(Result full, Result chunked) {
        assertEquals(full.loss(), chunked.loss(), 1e-5 * Math.abs(full.loss()));
        for (String k : full.grads().keySet()) {
            float[] e = full.grads().get(k);
            float[] a = chunked.grads().get(k);
            double num = 0;
            double den = 0;
            for (int i = 0; i < e.length; i++) {
                num = Math.max(num, Math.abs(e[i] - a[i]));
                den = Math.max(den, Math.abs(e[i]));
            }
            assertTrue(den > 0, k + " has a gradient");
            assertTrue(num / den < 1e-4, k + ": relative error " + num / den);
        }
    }

    @Test
    void chunkedTdpo2EqualsTheFullVocabularyForm() {
        try (DecoderModel policy = Tiny.model(3, true);
                DecoderModel ref = Tiny.model(4, false)) {
            TokenPreferenceObjective loss = new TokenPreferenceObjective.Tdpo2(0.5, 0.7);
            assertSame(step(policy, ref, loss, null, 0), step(policy, ref, loss, null, 3));
        }
    }

    @Test
    void chunkedSparsePoWithLearnedMasksEqualsTheFullVocabularyForm() {
        try (DecoderModel policy = Tiny.model(3, true);
                DecoderModel ref = Tiny.model(4, false)) {
            TokenMaskSource masks = TokenMaskSource.Learned.create(policy, 2);
            TokenPreferenceObjective loss = new TokenPreferenceObjective.SparsePo(0.5);
            assertSame(step(policy, ref, loss, masks, 0), step(policy, ref, loss, masks, 5));
        }
    }
}
