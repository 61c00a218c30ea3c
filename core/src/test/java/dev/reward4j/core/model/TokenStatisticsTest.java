package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DecoderModel#tokenStatistics}: the log-probs equal {@link DecoderModel#tokenLogps}, the
 * hidden states equal {@link DecoderModel#hiddenStates}, and the top-k mass and renormalised top-k
 * entropy equal a float64 computation from the full-vocabulary distribution (hidden states times
 * the LM head, log-softmax, sort), on tied (Qwen2) and untied (Llama) heads.
 */
class TokenStatisticsTest {
    static final int N = 3;
    static final int T = 7;
    static final int V = 29;

    @ParameterizedTest
    @ValueSource(strings = {"LLAMA", "QWEN2"})
    void statisticsEqualAFloat64ComputationFromTheFullDistribution(String arch) {
        ModelConfig config = ModelConfig.of(Architecture.valueOf(arch), V, 16, 2, 2, 2, 32);
        try (DecoderModel model =
                        DecoderModel.create(config, ModelHead.LM, 9, ModelOptions.defaults());
                NDManager m = model.manager().newSubManager()) {
            Random r = new Random(3);
            long[] ids = new long[N * T];
            long[] mask = new long[N * T];
            int[] len = {7, 5, 3};
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < T; j++) {
                    ids[i * T + j] = j < len[i] ? 1 + r.nextInt(V - 1) : 0;
                    mask[i * T + j] = j < len[i] ? 1 : 0;
                }
            }
            NDArray idsA = m.create(ids, new Shape(N, T));
            NDArray maskA = m.create(mask, new Shape(N, T));
            int k = 4;
            TokenStatistics s = model.tokenStatistics(idsA, maskA, k);
            assertArrayEquals(
                    model.tokenLogps(idsA, maskA).toFloatArray(), s.tokenLogps().toFloatArray());
            float[] hidden = model.hiddenStates(idsA, maskA).toFloatArray();
            assertArrayEquals(hidden, s.hidden().toFloatArray());
            assertFalse(s.hidden().hasGradient());
            float[] w = model.lmHeadWeight().toFloatArray(); // (V, H)
            int h = (int) s.hidden().getShape().get(2);
            float[] ent = s.topKEntropy().toFloatArray();
            float[] mass = s.topKMass().toFloatArray();
            for (int i = 0; i < N; i++) {
                assertEquals(0, ent[i * T], "no statistic at t = 0");
                for (int t = 1; t < T; t++) {
                    if (t >= len[i]) {
                        assertEquals(0, mass[i * T + t], "masked position");
                        continue;
                    }
                    // distribution at position t - 1 predicts token t
                    double[] logits = new double[V];
                    for (int v = 0; v < V; v++) {
                        double z = 0;
                        for (int c = 0; c < h; c++) {
                            z += (double) hidden[(i * T + t - 1) * h + c] * w[v * h + c];
                        }
                        logits[v] = z;
                    }
                    double max = Arrays.stream(logits).max().getAsDouble();
                    double lse = 0;
                    for (double z : logits) {
                        lse += Math.exp(z - max);
                    }
                    lse = max + Math.log(lse);
                    double[] p = new double[V];
                    for (int v = 0; v < V; v++) {
                        p[v] = Math.exp(logits[v] - lse);
                    }
                    double[] sorted = p.clone();
                    Arrays.sort(sorted);
                    double mk = 0;
                    for (int j = 0; j < k; j++) {
                        mk += sorted[V - 1 - j];
                    }
                    double hk = 0;
                    for (int j = 0; j < k; j++) {
                        double q = sorted[V - 1 - j] / mk;
                        hk -= q * Math.log(q);
                    }
                    assertEquals(mk, mass[i * T + t], 1e-5, "top-k mass");
                    assertEquals(hk, ent[i * T + t], 1e-5, "top-k entropy");
                    assertTrue(hk >= 0 && hk <= Math.log(k) + 1e-6);
                }
            }
            assertEquals(null, s.logSquaredMass());
            TokenStatistics wpo = model.tokenStatistics(idsA, maskA, k, true);
            assertArrayEquals(
                    model.tokenLogpsWithSquaredMass(idsA, maskA).get(1).toFloatArray(),
                    wpo.logSquaredMass().toFloatArray());
            assertArrayEquals(mass, wpo.topKMass().toFloatArray());
            // k larger than the vocabulary is the whole distribution: mass 1
            TokenStatistics all = model.tokenStatistics(idsA, maskA, 10 * V);
            assertEquals(1.0, all.topKMass().getFloat(0, 1), 1e-5);
            assertThrows(
                    IllegalArgumentException.class, () -> model.tokenStatistics(idsA, maskA, 0));
        }
    }
}
