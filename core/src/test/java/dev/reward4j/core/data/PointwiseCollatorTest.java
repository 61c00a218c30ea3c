package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointwiseCollatorTest {
    @Test
    void targetsAndTheirMaskFollowPresence() {
        TokenizedRated a =
                new TokenizedRated(
                        "a",
                        new TokenizedSequence(new int[] {1, 5, 2}, 2),
                        new double[] {3, 4},
                        new boolean[] {true, true},
                        Source.memory(1));
        TokenizedRated b =
                new TokenizedRated(
                        "b",
                        new TokenizedSequence(new int[] {1, 2}, 1),
                        new double[] {1, 0},
                        new boolean[] {true, false},
                        Source.memory(2));
        try (NDManager m = NDManager.newBaseManager();
                PointwiseBatch batch =
                        new PointwiseCollator(Padding.left(2)).collate(List.of(a, b), m)) {
            assertArrayEquals(new float[] {3, 4, 1, 0}, batch.targets().toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 0}, batch.targetMask().toFloatArray());
            assertArrayEquals(new long[] {2, 2}, batch.lastIndex().toLongArray());
            assertArrayEquals(new long[] {1, 5, 2, 2, 1, 2}, batch.inputIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 0, 1, 1}, batch.attentionMask().toLongArray());
        }
    }

    @Test
    void mixedAttributeCountsAreRejected() {
        TokenizedRated a =
                new TokenizedRated(
                        "a",
                        new TokenizedSequence(new int[] {1, 2}, 1),
                        new double[] {3},
                        new boolean[] {true},
                        Source.memory(1));
        TokenizedRated b =
                new TokenizedRated(
                        "b",
                        new TokenizedSequence(new int[] {1, 2}, 1),
                        new double[] {3, 1},
                        new boolean[] {true, true},
                        Source.memory(2));
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new PointwiseCollator(Padding.right(0)).collate(List.of(a, b), m));
        }
    }
}
