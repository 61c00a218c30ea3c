package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PairCollatorTest {
    static final int EOS = 2;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Pair 0: chosen [1 5 6 | 7 2], rejected [1 5 6 | 8 9 2]; pair 1: chosen [1 | 2], rejected [1 |
     * 9 2].
     */
    static List<TokenizedPair> pairs(boolean margin) {
        return List.of(
                new TokenizedPair(
                        "a",
                        new TokenizedSequence(new int[] {1, 5, 6, 7, EOS}, 3),
                        new TokenizedSequence(new int[] {1, 5, 6, 8, 9, EOS}, 3),
                        margin ? OptionalDouble.of(2.0) : OptionalDouble.empty(),
                        1.0,
                        Source.memory(1)),
                new TokenizedPair(
                        "b",
                        new TokenizedSequence(new int[] {1, EOS}, 1),
                        new TokenizedSequence(new int[] {1, 9, EOS}, 1),
                        OptionalDouble.empty(),
                        0.5,
                        Source.memory(2)));
    }

    /**
     * The attention-mask rule of the model: last position with mask 1 = argMax(arange(T) * mask).
     */
    static long[] lastFromMask(NDArray mask) {
        long t = mask.getShape().get(1);
        NDArray idx = mask.getManager().arange(t).toType(DataType.INT64, false);
        return mask.mul(idx).argMax(1).toLongArray();
    }

    @Nested
    class RightPadding {
        @Test
        void rowsAreChosenThenRejectedPaddedWithEosAndMasked() {
            try (PairBatch b =
                    new PairCollator(new Padding(PaddingSide.RIGHT, EOS, 1, 1))
                            .collate(pairs(false), manager)) {
                assertEquals(new Shape(4, 6), b.inputIds().getShape());
                assertEquals(DataType.INT64, b.inputIds().getDataType());
                assertEquals(DataType.FLOAT32, b.responseMask().getDataType());
                assertArrayEquals(
                        new long[] {
                            1, 5, 6, 7, 2, 2, 1, 2, 2, 2, 2, 2, 1, 5, 6, 8, 9, 2, 1, 9, 2, 2, 2, 2
                        },
                        b.inputIds().toLongArray());
                assertArrayEquals(
                        new long[] {
                            1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0
                        },
                        b.attentionMask().toLongArray());
                // pad == EOS: lastIndex is the last attended position (the real EOS), not the first
                // pad; which token a reward head scores is DecoderModel's pooling
                // (RewardPoolingTest)
                assertArrayEquals(new long[] {4, 1, 5, 2}, b.lastIndex().toLongArray());
                assertArrayEquals(lastFromMask(b.attentionMask()), b.lastIndex().toLongArray());
                assertArrayEquals(
                        new float[] {
                            0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0
                        },
                        b.responseMask().toFloatArray());
                assertEquals(List.of("a", "b"), b.ids());
                assertEquals(16, b.realTokens());
                assertArrayEquals(new float[] {1f, 0.5f}, b.weight().toFloatArray());
                assertNull(b.margin());
            }
        }

        @Test
        void marginsArePresentWhenAnyPairHasOneAndZeroElsewhere() {
            try (PairBatch b = new PairCollator(Padding.right(0)).collate(pairs(true), manager)) {
                assertArrayEquals(new float[] {2f, 0f}, b.margin().toFloatArray());
            }
        }

        @Test
        void padToMultipleRoundsTheWidthUp() {
            try (PairBatch b =
                    new PairCollator(Padding.right(0).withPadToMultipleOf(8))
                            .collate(pairs(false), manager)) {
                assertEquals(new Shape(4, 8), b.inputIds().getShape());
            }
        }
    }

    @Nested
    class LeftPadding {
        @Test
        void lastIndexIsTheFinalColumnAndMasksAreRightAligned() {
            try (PairBatch b =
                    new PairCollator(new Padding(PaddingSide.LEFT, EOS, 1, -1))
                            .collate(pairs(false), manager)) {
                assertArrayEquals(
                        new long[] {
                            2, 1, 5, 6, 7, 2, 2, 2, 2, 2, 1, 2, 1, 5, 6, 8, 9, 2, 2, 2, 2, 1, 9, 2
                        },
                        b.inputIds().toLongArray());
                assertArrayEquals(new long[] {5, 5, 5, 5}, b.lastIndex().toLongArray());
                assertArrayEquals(lastFromMask(b.attentionMask()), b.lastIndex().toLongArray());
                assertArrayEquals(
                        new float[] {
                            0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1
                        },
                        b.responseMask().toFloatArray());
            }
        }
    }

    @Nested
    class Validation {
        @Test
        void doubleBosIsRejectedAtCollateTime() {
            TokenizedPair bad =
                    new TokenizedPair(
                            "x",
                            new TokenizedSequence(new int[] {1, 1, 5, 2}, 2),
                            new TokenizedSequence(new int[] {1, 6, 2}, 1),
                            OptionalDouble.empty(),
                            1,
                            new Source("f.jsonl", 9));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    new PairCollator(new Padding(PaddingSide.RIGHT, 0, 1, 1))
                                            .collate(List.of(bad), manager));
            assertTrue(e.getMessage().contains("BOS BOS"), e.getMessage());
            assertTrue(e.getMessage().contains("f.jsonl:9"), e.getMessage());
        }

        @Test
        void sequenceWithoutResponseTokensIsRejected() {
            TokenizedPair bad =
                    new TokenizedPair(
                            "x",
                            new TokenizedSequence(new int[] {1, 5}, 2),
                            new TokenizedSequence(new int[] {1, 6, 2}, 1),
                            OptionalDouble.empty(),
                            1,
                            Source.memory(1));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    new PairCollator(Padding.right(0))
                                            .collate(List.of(bad), manager));
            assertTrue(e.getMessage().contains("no response tokens"), e.getMessage());
        }

        @Test
        void emptyBatchIsRejected() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new PairCollator(Padding.right(0)).collate(List.of(), manager));
        }
    }
}
