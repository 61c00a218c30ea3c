package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BcoStateTest {
    @Test
    void updateFoldsBatchMeansIntoAnArithmeticRunningMean() {
        BcoState s = BcoState.initial().update(1).update(2).update(6);
        assertEquals(3, s.mean(), 1e-15);
        assertEquals(3, s.count());
    }

    @Test
    void firstUpdateReplacesTheInitialMean() {
        // TRL's RunningMoments starts with count 1e-24, so the first batch mean replaces the
        // initial 0
        assertEquals(-0.75, BcoState.initial().update(-0.75).mean(), 0);
    }

    @Test
    void rejectsNonFiniteValuesAndNegativeCounts() {
        Expect.badArgument(() -> new BcoState(Double.NaN, 0), "mean", "NaN", "finite");
        Expect.badArgument(() -> new BcoState(0, -1), "count", "(-1)", ">= 0");
        Expect.badArgument(
                () -> BcoState.initial().update(Double.POSITIVE_INFINITY), "batchMean", "Infinity");
    }
}
