package dev.reward4j.trainers.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdealizedRankingTest {
    @Test
    void theIdealPolicyRanksCorrectlyWhenTheReferenceGapIsSmallerThanTheLogOddsOverBeta() {
        // alpha 0.75: log-odds log 3 = 1.0986; beta 0.1 -> the reference may be up to 10.99 nats
        // wrong
        assertTrue(IdealizedRanking.correct(-30, -20, 0.75, 0.1));
        assertFalse(IdealizedRanking.correct(-31.1, -20, 0.75, 0.1));
        // alpha = 1/2: only the reference's own ranking counts
        assertFalse(IdealizedRanking.correct(-20, -20, 0.5, 0.1));
        assertTrue(IdealizedRanking.correct(-19.9, -20, 0.5, 0.1));
        // a large beta keeps the reference's ranking
        assertFalse(IdealizedRanking.correct(-21, -20, 0.75, 100));
        assertThrows(
                IllegalArgumentException.class, () -> IdealizedRanking.correct(0, 0, 1.0, 0.1));
    }

    @Test
    void theDeviceFormAgreesWithTheHostForm() {
        Random r = new Random(7);
        int b = 64;
        float[] rc = new float[b];
        float[] rr = new float[b];
        float[] a = new float[b];
        float[] logOdds = new float[b];
        for (int i = 0; i < b; i++) {
            rc[i] = (float) (-20 + 8 * r.nextGaussian());
            rr[i] = (float) (-20 + 8 * r.nextGaussian());
            a[i] = (float) (0.05 + 0.9 * r.nextDouble());
            logOdds[i] = (float) Math.log(a[i] / (1 - a[i]));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] got =
                    IdealizedRanking.correct(m.create(rc), m.create(rr), m.create(logOdds), 0.3)
                            .toFloatArray();
            float[] expected = new float[b];
            for (int i = 0; i < b; i++) {
                expected[i] = IdealizedRanking.correct(rc[i], rr[i], a[i], 0.3) ? 1 : 0;
            }
            assertArrayEquals(expected, got);
            assertEquals(b, got.length);
        }
    }

    @Test
    void theMarginColumnOrAConstantGivesThePreferenceLogOdds() {
        try (NDManager m = NDManager.newBaseManager()) {
            dev.reward4j.core.data.PairBatch b =
                    dev.reward4j.trainers.step.TinyTasks.pairBatch(
                            dev.reward4j.trainers.step.TinyTasks.policyPairs(3, 1),
                            java.util.List.of("a", "b", "c"),
                            m);
            dev.reward4j.core.data.PairBatch withMargin =
                    new dev.reward4j.core.data.PairBatch(
                            b.inputIds(),
                            b.attentionMask(),
                            b.lastIndex(),
                            b.responseMask(),
                            m.create(new float[] {0.9f, 0.2f, 1.0f}),
                            b.weight(),
                            b.ids(),
                            b.realTokens());
            float[] fromMargin =
                    new PreferenceProbability.FromMargin().logOdds(withMargin).toFloatArray();
            assertEquals(Math.log(9), fromMargin[0], 1e-5);
            assertEquals(Math.log(0.25), fromMargin[1], 1e-5);
            // 1 is clipped to 1 - 1e-6: finite
            assertTrue(Float.isFinite(fromMargin[2]) && fromMargin[2] > 10);
            float[] constant = new PreferenceProbability.Constant(0.75).logOdds(b).toFloatArray();
            assertArrayEquals(
                    new float[] {(float) Math.log(3), (float) Math.log(3), (float) Math.log(3)},
                    constant,
                    1e-6f);
            assertThrows(
                    IllegalArgumentException.class, () -> new PreferenceProbability.Constant(1));
        }
    }
}
