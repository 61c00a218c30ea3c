package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Head reads at arbitrary positions and next-token log-probs. */
class ReadsTest {
    static ModelConfig tiny() {
        return ModelConfig.of(Architecture.LLAMA, 24, 16, 1, 2, 2, 32);
    }

    @Test
    void scoresAtTheLastPositionsEqualScoresAndEarlierReadsSeeOnlyThePrefix() {
        try (DecoderModel model =
                        DecoderModel.create(
                                tiny(), ModelHead.reward(3), 1, ModelOptions.defaults());
                NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.create(new long[] {1, 5, 6, 7, 2, 1, 9, 8, 2, 0}, new Shape(2, 5));
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 5));
            float[] last = model.scores(ids, mask).toFloatArray();
            NDArray rows = m.create(new long[] {0, 1, 0});
            NDArray pos = m.create(new long[] {4, 3, 2});
            float[] at = model.scoresAt(ids, mask, rows, pos).toFloatArray();
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(last, 0, 6),
                    java.util.Arrays.copyOfRange(at, 0, 6),
                    1e-6f);
            // causal: position 2 of row 0 equals the last-token score of the prefix 1 5 6
            NDArray prefix = m.create(new long[] {1, 5, 6}, new Shape(1, 3));
            float[] alone =
                    model.scores(
                                    prefix,
                                    m.ones(new Shape(1, 3))
                                            .toType(ai.djl.ndarray.types.DataType.INT64, false))
                            .toFloatArray();
            assertArrayEquals(alone, java.util.Arrays.copyOfRange(at, 6, 9), 1e-5f);
        }
    }

    @Test
    void readsOutsideTheBatchAreRejected() {
        try (DecoderModel model =
                        DecoderModel.create(tiny(), ModelHead.REWARD, 1, ModelOptions.defaults());
                NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.create(new long[] {1, 5, 6}, new Shape(1, 3));
            NDArray mask = m.create(new long[] {1, 1, 1}, new Shape(1, 3));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.scoresAt(
                                            ids,
                                            mask,
                                            m.create(new long[] {0}),
                                            m.create(new long[] {3})));
            assertTrue(e.getMessage().contains("positions in [0, 3)"), e.getMessage());
        }
    }

    @Test
    void nextTokenLogpsAreTheTokenLogpsOfEveryContinuation() {
        try (DecoderModel model =
                        DecoderModel.create(tiny(), ModelHead.LM, 2, ModelOptions.defaults());
                NDManager m = model.manager().newSubManager()) {
            NDArray prefix = m.create(new long[] {1, 5, 6}, new Shape(1, 3));
            NDArray ones = m.create(new long[] {1, 1, 1}, new Shape(1, 3));
            float[] next = model.nextTokenLogps(prefix, ones).toFloatArray();
            assertEquals(24, next.length);
            double total = 0;
            for (float v : next) {
                total += Math.exp(v);
            }
            assertEquals(1.0, total, 1e-5);
            for (long v : new long[] {0, 7, 23}) {
                NDArray seq = m.create(new long[] {1, 5, 6, v}, new Shape(1, 4));
                NDArray mask = m.create(new long[] {1, 1, 1, 1}, new Shape(1, 4));
                float lp = model.tokenLogps(seq, mask).toFloatArray()[3];
                assertEquals(lp, next[(int) v], 1e-5f);
            }
        }
    }
}
