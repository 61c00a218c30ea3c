package dev.reward4j.trainers.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CollatedSourceTest {
    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Nested
    class Chunks {
        @Test
        void theLastChunkMayBeSmaller() {
            assertEquals(
                    List.of(List.of(0, 1), List.of(2, 3), List.of(4)),
                    CollatedSource.chunks(range(5), 2));
        }

        @Test
        void aTrailingChunkBelowTheMinimumJoinsThePreviousOne() {
            assertEquals(
                    List.of(List.of(0, 1), List.of(2, 3, 4)),
                    CollatedSource.chunks(range(5), 2, 2));
            assertEquals(
                    List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7, 8)),
                    CollatedSource.chunks(range(9), 4, 2));
            assertEquals(
                    List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6)),
                    CollatedSource.chunks(range(7), 4, 2));
        }

        @Test
        void everyExampleIsKeptOnceInOrder() {
            for (int n = 0; n < 12; n++) {
                for (int size = 2; size < 6; size++) {
                    List<List<Integer>> c = CollatedSource.chunks(range(n), size, 2);
                    assertEquals(
                            range(n), c.stream().flatMap(List::stream).toList(), n + "/" + size);
                    if (n >= 2) {
                        assertEquals(0, c.stream().filter(x -> x.size() < 2).count(), c.toString());
                    }
                }
            }
        }

        @Test
        void aSingleShortListStaysOneChunk() {
            assertEquals(List.of(List.of(0)), CollatedSource.chunks(range(1), 4, 2));
            assertEquals(List.of(), CollatedSource.chunks(range(0), 4, 2));
        }

        @Test
        void aSizeBelowTheMinimumIsRejected() {
            assertThrows(
                    IllegalArgumentException.class, () -> CollatedSource.chunks(range(4), 1, 2));
        }
    }
}
