package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PackerTest {
    @Test
    void firstFitDecreasingPacksWithRestartingPositionsAndSegments() {
        // lengths 3, 5, 2, 4 into rows of 8: FFD places 5 (row0), 4 (row1), 3 (row0 @5), 2 (row1
        // @4)
        List<TokenizedSequence> seqs =
                List.of(
                        new TokenizedSequence(new int[] {1, 11, 12}, 1),
                        new TokenizedSequence(new int[] {1, 21, 22, 23, 24}, 2),
                        new TokenizedSequence(new int[] {1, 31}, 1),
                        new TokenizedSequence(new int[] {1, 41, 42, 43}, 3));
        try (NDManager m = NDManager.newBaseManager();
                PackedBatch b = new Packer(8, 0).pack(seqs, List.of("s0", "s1", "s2", "s3"), m)) {
            assertEquals(new Shape(2, 8), b.inputIds().getShape());
            assertArrayEquals(
                    new long[] {1, 21, 22, 23, 24, 1, 11, 12, 1, 41, 42, 43, 1, 31, 0, 0},
                    b.inputIds().toLongArray());
            assertArrayEquals(
                    new long[] {0, 1, 2, 3, 4, 0, 1, 2, 0, 1, 2, 3, 0, 1, 0, 0},
                    b.positionIds().toLongArray());
            assertArrayEquals(
                    new long[] {1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 0, 0},
                    b.segmentIds().toLongArray());
            assertArrayEquals(
                    new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
                    b.attentionMask().toLongArray());
            assertArrayEquals(
                    new float[] {0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0},
                    b.responseMask().toFloatArray());
            // read-back in input order
            assertArrayEquals(new long[] {0, 0, 1, 1}, b.seqRow().toLongArray());
            assertArrayEquals(new long[] {5, 0, 4, 0}, b.seqStart().toLongArray());
            assertArrayEquals(new long[] {7, 4, 5, 3}, b.seqLast().toLongArray());
            assertEquals(14, b.realTokens());
        }
    }

    @Test
    void pairsPackChosenThenRejectedInPairBatchOrder() {
        TokenizedPair p =
                new TokenizedPair(
                        "p",
                        new TokenizedSequence(new int[] {1, 5, 2}, 2),
                        new TokenizedSequence(new int[] {1, 6, 6, 2}, 2),
                        OptionalDouble.of(1.5),
                        2.0,
                        Source.memory(1));
        try (NDManager m = NDManager.newBaseManager();
                PackedBatch b = new Packer(16, 0).packPairs(List.of(p), m)) {
            assertEquals(new Shape(1, 7), b.inputIds().getShape());
            assertArrayEquals(new long[] {0, 0}, b.seqRow().toLongArray());
            assertArrayEquals(
                    new long[] {4, 0},
                    b.seqStart().toLongArray()); // rejected (longer) placed first
            assertArrayEquals(new long[] {6, 3}, b.seqLast().toLongArray());
            assertArrayEquals(new float[] {1.5f}, b.margin().toFloatArray());
            assertArrayEquals(new float[] {2f}, b.weight().toFloatArray());
        }
    }

    @Test
    void sequenceLongerThanTheRowIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new Packer(2, 0)
                                    .pack(
                                            List.of(new TokenizedSequence(new int[] {1, 2, 3}, 1)),
                                            List.of("x"),
                                            m));
        }
    }
}
