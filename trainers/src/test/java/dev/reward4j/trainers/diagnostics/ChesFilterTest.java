package dev.reward4j.trainers.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChesFilterTest {
    @Test
    void dropsTheFloorOfTheFractionWithTheHighestScores() {
        double[] s = {-5, -1, -3, 0, -2, -4, -6, -7, -8, -9};
        ChesFilter.Filtered<String> f =
                new ChesFilter(0.25)
                        .apply(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), s);
        // floor(0.25 * 10) = 2: d (0) and b (-1)
        assertEquals(List.of("d", "b"), f.dropped());
        assertEquals(List.of("a", "c", "e", "f", "g", "h", "i", "j"), f.kept());
        assertEquals(-1, f.threshold());
    }

    @Test
    void equalScoresAreDroppedInInputOrderAndZeroDropsNothing() {
        // three tied top scores (indices 0, 1, 3), two dropped: the first two in input order
        assertArrayEquals(
                new boolean[] {false, false, true, true},
                new ChesFilter(0.5).keep(new double[] {1, 1, 0, 1}));
        ChesFilter.Filtered<Integer> none = new ChesFilter(0).apply(List.of(1, 2), new double[2]);
        assertEquals(List.of(1, 2), none.kept());
        assertTrue(Double.isNaN(none.threshold()));
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ChesFilter(1));
        assertThrows(IllegalArgumentException.class, () -> new ChesFilter(-0.1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChesFilter(0.1).keep(new double[] {0, Double.NaN}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChesFilter(0.1).apply(List.of(1), new double[2]));
    }
}
