package dev.reward4j.trainers.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PairTokenDigestTest {
    static TokenizedPair pair(
            String id, int[] chosen, int chosenPrompt, int[] rejected, int rejectedPrompt) {
        return new TokenizedPair(
                id,
                new TokenizedSequence(chosen, chosenPrompt),
                new TokenizedSequence(rejected, rejectedPrompt),
                OptionalDouble.empty(),
                1.0,
                Source.memory(0));
    }

    static final TokenizedPair A =
            pair("a", new int[] {1, 5, 6, 7, 2}, 3, new int[] {1, 5, 6, 14, 15, 2}, 3);
    static final TokenizedPair B = pair("b", new int[] {1, 9, 4, 2}, 2, new int[] {1, 9, 13, 2}, 2);

    @Nested
    class SameTokens {
        @Test
        void aPairAndItsBatchRowsHaveTheSameDigestWhateverThePaddingSideWidthAndBatch() {
            long[] expected = {PairTokenDigest.of(A), PairTokenDigest.of(B)};
            try (NDManager m = NDManager.newBaseManager()) {
                for (Padding p :
                        List.of(
                                Padding.right(0),
                                Padding.left(0),
                                Padding.right(2).withPadToMultipleOf(16),
                                Padding.left(7).withPadToMultipleOf(8))) {
                    try (PairBatch batch = new PairCollator(p).collate(List.of(A, B), m)) {
                        assertArrayEquals(expected, PairTokenDigest.of(batch), p.toString());
                    }
                    try (PairBatch alone = new PairCollator(p).collate(List.of(B), m)) {
                        assertEquals(expected[1], PairTokenDigest.of(alone)[0], p.toString());
                    }
                }
            }
        }

        @Test
        void theIdWeightAndMarginAreNotPartOfIt() {
            TokenizedPair other =
                    new TokenizedPair(
                            "z",
                            A.chosen(),
                            A.rejected(),
                            OptionalDouble.of(2),
                            0.5,
                            Source.memory(9));
            assertEquals(PairTokenDigest.of(A), PairTokenDigest.of(other));
        }
    }

    @Nested
    class ChangedTokens {
        @Test
        void anotherTokenATruncatedSequenceOrAMovedResponseBoundaryChangesIt() {
            long a = PairTokenDigest.of(A);
            // another response token (other text under the same id)
            assertNotEquals(
                    a,
                    PairTokenDigest.of(
                            pair("a", new int[] {1, 5, 6, 8, 2}, 3, A.rejected().ids(), 3)));
            // a shorter rejected sequence (max_length cut its end)
            assertNotEquals(
                    a,
                    PairTokenDigest.of(
                            pair("a", A.chosen().ids(), 3, new int[] {1, 5, 6, 14, 15}, 3)));
            // the prompt's start cut (keep-prompt-end with a smaller max_length)
            assertNotEquals(
                    a,
                    PairTokenDigest.of(
                            pair("a", new int[] {5, 6, 7, 2}, 2, new int[] {5, 6, 14, 15, 2}, 2)));
            // same ids, another prompt/response boundary (another chat template split)
            assertNotEquals(
                    a, PairTokenDigest.of(pair("a", A.chosen().ids(), 2, A.rejected().ids(), 3)));
            // chosen and rejected swapped
            assertNotEquals(
                    a, PairTokenDigest.of(pair("a", A.rejected().ids(), 3, A.chosen().ids(), 3)));
        }
    }
}
