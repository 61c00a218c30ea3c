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
        for (int i = 0; i < b; i++) {
            rc[i] = (float) (-20 + 8 * r.nextGaussian());
            rr[i] = (float) (-20 + 8 * r.nextGaussian());
            a[i] = (float) (0.05 + 0.9 * r.nextDouble());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] got =
                    IdealizedRanking.correct(m.create(rc), m.create(rr), m.create(a), 0.3)
                            .toFloatArray();
            float[] expected = new float[b];
            for (int i = 0; i < b; i++) {
                expected[i] = IdealizedRanking.correct(rc[i], rr[i], a[i], 0.3) ? 1 : 0;
            }
            assertArrayEquals(expected, got);
            assertEquals(b, got.length);
        }
    }
}
