package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunked token statistics equal the full-vocabulary autograd form in value and, through the
 * gradient surrogate, in the gradient of every policy parameter; tied and untied LM heads.
 */
class TokenDistributionsTest {
    static final int N = 4;
    static final int T = 9;

    record Batch(NDArray ids, NDArray mask, NDArray response) {}

    static Batch batch(NDManager m, int vocab, long seed) {
        Random r = new Random(seed);
        long[] ids = new long[N * T];
        long[] mask = new long[N * T];
        float[] resp = new float[N * T];
        for (int i = 0; i < N; i++) {
            int len = 5 + r.nextInt(T - 4); // right padding
            int prompt = 1 + r.nextInt(3);
            for (int j = 0; j < T; j++) {
                ids[i * T + j] = j < len ? 1 + r.nextInt(vocab - 1) : 0;
                mask[i * T + j] = j < len ? 1 : 0;
                resp[i * T + j] = j >= prompt && j < len ? 1 : 0;
            }
        }
        return new Batch(
                m.create(ids, new Shape(N, T)),
                m.create(mask, new Shape(N, T)),
                m.create(resp, new Shape(N, T)));
    }

    static Map<String, float[]> grads(DecoderModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            try (NDArray g = e.getValue().getGradient()) {
                out.put(e.getKey(), g.toFloatArray());
                g.subi(g);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"LLAMA", "QWEN2"})
    void chunkedValuesAndSurrogateGradientsEqualTheFullVocabularyForm(String arch) {
        ModelConfig config = ModelConfig.of(Architecture.valueOf(arch), 37, 16, 2, 2, 2, 32);
        try (DecoderModel policy =
                        DecoderModel.create(config, ModelHead.LM, 3, ModelOptions.defaults());
                DecoderModel reference =
                        DecoderModel.create(config, ModelHead.LM, 4, ModelOptions.defaults());
                NDManager m = policy.manager().newSubManager()) {
            policy.setTrainable(true);
            Batch b = batch(m, 37, 11);
            Random r = new Random(5);
            float[] g1 = new float[N * T];
            float[] g2 = new float[N * T];
            for (int i = 0; i < g1.length; i++) {
                g1[i] = (float) r.nextGaussian();
                g2[i] = (float) r.nextGaussian();
            }
            NDArray gl = m.create(g1, new Shape(N, T));
            NDArray gk = m.create(g2, new Shape(N, T));
            TokenDistributions full;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                full =
                        TokenDistributions.fullVocabulary(
                                policy, reference, b.ids(), b.mask(), b.response());
                gc.backward(full.policyLogps().mul(gl).sum().add(full.kl().mul(gk).sum()));
            }
            Map<String, float[]> expected = grads(policy);
            for (int chunk : new int[] {1, 3, 1000}) {
                TokenDistributions c;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    c =
                            TokenDistributions.chunked(
                                    policy, reference, b.ids(), b.mask(), b.response(), chunk);
                    NDArray s = c.gradient(gl, gk);
                    assertEquals(0, s.getFloat(), 0, "the surrogate has value 0");
                    gc.backward(s);
                }
                assertClose(full.policyLogps(), c.policyLogps(), 1e-5, "policy log-probs");
                assertClose(full.referenceLogps(), c.referenceLogps(), 1e-5, "reference log-probs");
                assertClose(full.kl(), c.kl(), 1e-5, "token KL");
                Map<String, float[]> actual = grads(policy);
                for (String k : expected.keySet()) {
                    float[] e = expected.get(k);
                    float[] a = actual.get(k);
                    double num = 0;
                    double den = 0;
                    for (int i = 0; i < e.length; i++) {
                        num = Math.max(num, Math.abs(e[i] - a[i]));
                        den = Math.max(den, Math.abs(e[i]));
                    }
                    assertTrue(den > 0, k + ": the full form has a gradient");
                    assertTrue(
                            num / den < 1e-4,
                            arch + " chunk " + chunk + " " + k + ": relative error " + num / den);
                }
            }
        }
    }

    @Test
    void tokenKlIsZeroWhenPolicyEqualsReferenceAndOffMaskEntriesAreZero() {
        ModelConfig config = ModelConfig.of(Architecture.LLAMA, 37, 16, 2, 2, 2, 32);
        try (DecoderModel policy =
                        DecoderModel.create(config, ModelHead.LM, 3, ModelOptions.defaults());
                DecoderModel same =
                        DecoderModel.create(config, ModelHead.LM, 3, ModelOptions.defaults());
                NDManager m = policy.manager().newSubManager()) {
            Batch b = batch(m, 37, 12);
            TokenDistributions c =
                    TokenDistributions.chunked(policy, same, b.ids(), b.mask(), b.response(), 2);
            float[] kl = c.kl().toFloatArray();
            float[] lp = c.policyLogps().toFloatArray();
            float[] lr = c.referenceLogps().toFloatArray();
            float[] resp = b.response().toFloatArray();
            for (int i = 0; i < kl.length; i++) {
                assertEquals(0, kl[i], 1e-6);
                assertEquals(lp[i], lr[i], 1e-6);
                if (resp[i] == 0) {
                    assertEquals(0, lp[i], 0);
                }
            }
        }
    }

    static void assertClose(NDArray a, NDArray b, double tol, String what) {
        float[] x = a.toType(DataType.FLOAT32, false).toFloatArray();
        float[] y = b.toType(DataType.FLOAT32, false).toFloatArray();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], tol * (1 + Math.abs(x[i])), what + " at " + i);
        }
    }
}
