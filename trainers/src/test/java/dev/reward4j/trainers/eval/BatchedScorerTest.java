package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Message;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BatchedScorerTest {

    static List<ScoringRequest> requests(int n) {
        return IntStream.range(0, n)
                .mapToObj(
                        i ->
                                new ScoringRequest(
                                        "r" + i, 0, List.of(new Message("user", "p")), "c #" + i))
                .toList();
    }

    @Nested
    class Splitting {
        @Test
        void concatenatesBatchScoresInRequestOrder() {
            double[] expected = IntStream.range(0, 10).asDoubleStream().toArray();
            for (int size : new int[] {1, 3, 4, 10, 64}) {
                assertArrayEquals(
                        expected,
                        new BatchedScorer(new FakeScorers.Tagged(), size).score(requests(10)));
            }
        }

        @Test
        void returnsAnEmptyArrayForNoRequests() {
            assertArrayEquals(
                    new double[0], new BatchedScorer(new FakeScorers.Tagged(), 3).score(List.of()));
        }
    }

    @Nested
    class Validation {
        @Test
        void failsWhenTheDelegateReturnsTheWrongNumberOfScores() {
            BatchedScorer s = new BatchedScorer(batch -> new double[batch.size() - 1], 4);
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> s.score(requests(4)));
            assertTrue(e.getMessage().contains("3 scores for 4 requests"), e.getMessage());
        }

        @Test
        void failsOnANonFiniteScoreNamingTheRow() {
            BatchedScorer s = new BatchedScorer(batch -> new double[] {0, Double.NaN}, 2);
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> s.score(requests(2)));
            assertTrue(e.getMessage().contains("'r1'"), e.getMessage());
        }

        @Test
        void rejectsANonPositiveBatchSize() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new BatchedScorer(new FakeScorers.Tagged(), 0));
        }
    }
}
