package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListCollatorTest {
    @Test
    void listsArePaddedToTheLongestWithPlaceholderItemsMaskedOut() {
        TokenizedList three =
                new TokenizedList(
                        "l3",
                        List.of(
                                new TokenizedSequence(new int[] {1, 5, 7}, 2),
                                new TokenizedSequence(new int[] {1, 5, 8, 8}, 2),
                                new TokenizedSequence(new int[] {1, 5, 9}, 2)),
                        new double[] {3, 2, 1},
                        Source.memory(1));
        TokenizedList two =
                new TokenizedList(
                        "l2",
                        List.of(
                                new TokenizedSequence(new int[] {1, 6}, 1),
                                new TokenizedSequence(new int[] {1, 4}, 1)),
                        new double[] {0.5, 1.5},
                        Source.memory(2));
        try (NDManager m = NDManager.newBaseManager();
                ListBatch b = new ListCollator(Padding.right(0)).collate(List.of(three, two), m)) {
            assertEquals(new Shape(6, 4), b.inputIds().getShape());
            assertEquals(new Shape(2, 3), b.scores().getShape());
            assertArrayEquals(new float[] {3, 2, 1, 0.5f, 1.5f, 0}, b.scores().toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0}, b.itemMask().toFloatArray());
            assertArrayEquals(new long[] {2, 3, 2, 1, 1, 0}, b.lastIndex().toLongArray());
            // placeholder row 5: one masked-in pad token, no response
            assertArrayEquals(new long[] {1, 0, 0, 0}, b.attentionMask().get(5).toLongArray());
            assertArrayEquals(new float[] {0, 0, 0, 0}, b.responseMask().get(5).toFloatArray());
            assertEquals(14, b.realTokens());
        }
    }
}
