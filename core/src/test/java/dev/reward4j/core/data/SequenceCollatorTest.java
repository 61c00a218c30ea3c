package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceCollatorTest {
    static WeightedSequence seq(String id, int[] ids, boolean[] target, double w) {
        return new WeightedSequence(id, ids, target, w, Source.memory(1));
    }

    @Test
    void rowsArePaddedWithTheTargetMaskWeightsAndCounts() {
        List<WeightedSequence> batch =
                List.of(
                        seq(
                                "a",
                                new int[] {1, 5, 6, 2},
                                new boolean[] {false, false, true, true},
                                1.0),
                        seq(
                                "b",
                                new int[] {1, 7, 8, 9, 10, 2},
                                new boolean[] {false, true, false, true, false, true},
                                0.1));
        try (NDManager m = NDManager.newBaseManager()) {
            try (SequenceBatch b = new SequenceCollator(Padding.right(0)).collate(batch, m)) {
                assertEquals(new Shape(2, 6), b.inputIds().getShape());
                assertArrayEquals(
                        new long[] {1, 5, 6, 2, 0, 0, 1, 7, 8, 9, 10, 2},
                        b.inputIds().toLongArray());
                assertArrayEquals(
                        new long[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1},
                        b.attentionMask().toLongArray());
                assertArrayEquals(
                        new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1},
                        b.targetMask().toFloatArray());
                assertArrayEquals(new float[] {1f, 0.1f}, b.weight().toFloatArray());
                assertEquals(List.of("a", "b"), b.ids());
                assertEquals(10, b.realTokens());
                assertEquals(5, b.targetTokens());
            }
            try (SequenceBatch b = new SequenceCollator(Padding.left(0)).collate(batch, m)) {
                assertArrayEquals(
                        new float[] {0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1},
                        b.targetMask().toFloatArray());
            }
        }
    }

    @Test
    void aSequenceWithoutTargetsOrWithDoubleBosIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequenceCollator c = new SequenceCollator(Padding.right(0).withBosId(1));
            IllegalArgumentException none =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    c.collate(
                                            List.of(
                                                    seq(
                                                            "n",
                                                            new int[] {1, 5},
                                                            new boolean[] {false, false},
                                                            1)),
                                            m));
            assertTrue(none.getMessage().contains("no target tokens"), none.getMessage());
            IllegalArgumentException bos =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    c.collate(
                                            List.of(
                                                    seq(
                                                            "d",
                                                            new int[] {1, 1, 5},
                                                            new boolean[] {false, false, true},
                                                            1)),
                                            m));
            assertTrue(bos.getMessage().contains("BOS BOS"), bos.getMessage());
        }
    }

    @Test
    void theFirstTokenIsNeverATargetAndLengthsMustMatch() {
        assertThrows(
                IllegalArgumentException.class,
                () -> seq("x", new int[] {1, 2}, new boolean[] {true, true}, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> seq("x", new int[] {1, 2}, new boolean[] {false}, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> seq("x", new int[] {1, 2}, new boolean[] {false, true}, Double.NaN));
    }
}
