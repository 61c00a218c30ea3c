package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnpairedCollatorTest {
    static TokenizedUnpaired ex(String id, int[] ids, int promptLen, boolean desirable) {
        return new TokenizedUnpaired(
                id, new TokenizedSequence(ids, promptLen), desirable, Source.memory(1));
    }

    @Test
    void klRowsPairEachCompletionWithTheNextPromptOnOddBatchSizes() {
        // prompts: [1 10], [1 20 21], [1 30]; completions: [11 2], [22 2], [31 32 2]
        List<TokenizedUnpaired> batch =
                List.of(
                        ex("a", new int[] {1, 10, 11, 2}, 2, true),
                        ex("b", new int[] {1, 20, 21, 22, 2}, 3, false),
                        ex("c", new int[] {1, 30, 31, 32, 2}, 2, true));
        try (NDManager m = NDManager.newBaseManager();
                UnpairedBatch b = new UnpairedCollator(Padding.right(0)).collate(batch, m)) {
            assertArrayEquals(new float[] {1, 0, 1}, b.desirable().toFloatArray());
            assertEquals(new Shape(3, 5), b.inputIds().getShape());
            // KL row 0: prompt b + completion a; row 1: prompt c + completion b; row 2: prompt a +
            // completion c
            assertEquals(new Shape(3, 5), b.klInputIds().getShape());
            assertArrayEquals(
                    new long[] {1, 20, 21, 11, 2, 1, 30, 22, 2, 0, 1, 10, 31, 32, 2},
                    b.klInputIds().toLongArray());
            assertArrayEquals(
                    new float[] {0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1},
                    b.klResponseMask().toFloatArray());
            assertArrayEquals(
                    new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1},
                    b.klAttentionMask().toLongArray());
        }
    }

    @Test
    void batchOfOneIsAConfigurationError() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    new UnpairedCollator(Padding.right(0))
                                            .collate(
                                                    List.of(ex("a", new int[] {1, 2}, 1, true)),
                                                    m));
            assertTrue(e.getMessage().contains("expected >= 2"), e.getMessage());
        }
    }
}
