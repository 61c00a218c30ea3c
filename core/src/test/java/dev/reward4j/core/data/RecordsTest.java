package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Validation and immutability of the example records (PreferencePair, RankedList, RatedResponse,
 * ...).
 */
class RecordsTest {
    static final Source SRC = new Source("f.jsonl", 3);

    @Test
    void pairRejectsNegativeWeightNamingTheSource() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new PreferencePair(
                                        "x",
                                        new PlainText("p"),
                                        new PlainText("a"),
                                        new PlainText("b"),
                                        OptionalDouble.empty(),
                                        -1,
                                        SRC));
        assertTrue(e.getMessage().contains("f.jsonl:3"), e.getMessage());
    }

    @Test
    void rankedListCopiesScoresAndChecksLengths() {
        double[] scores = {1, 2};
        RankedList l =
                new RankedList(
                        "l",
                        new PlainText("p"),
                        List.of(new PlainText("a"), new PlainText("b")),
                        scores,
                        SRC);
        scores[0] = 99;
        assertArrayEquals(new double[] {1, 2}, l.scores());
        assertEquals(
                l,
                new RankedList(
                        "l",
                        new PlainText("p"),
                        List.of(new PlainText("a"), new PlainText("b")),
                        new double[] {1, 2},
                        SRC));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new RankedList(
                                "l",
                                new PlainText("p"),
                                List.of(new PlainText("a")),
                                new double[] {1, 2},
                                SRC));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new RankedList(
                                "l",
                                new PlainText("p"),
                                List.of(new PlainText("a")),
                                new double[] {Double.NaN},
                                SRC));
    }

    @Test
    void ratedResponseChecksAttributeLengths() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new RatedResponse(
                                "r",
                                new PlainText("p"),
                                new PlainText("a"),
                                List.of("helpfulness"),
                                new double[] {1, 2},
                                new boolean[] {true},
                                SRC));
    }

    @Test
    void textEmptinessCoversConversations() {
        assertTrue(new PlainText("").isEmpty());
        assertTrue(Conversation.of(new Message("assistant", "")).isEmpty());
        assertTrue(!Conversation.of(new Message("assistant", "x")).isEmpty());
    }
}
