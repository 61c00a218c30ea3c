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
    void batchesCountByTheirSize() {
        // TRL RunningMoments: a batch of 2 rewards with mean 1, then 6 rewards with mean 5: the
        // mean of all 8 rewards is (2*1 + 6*5)/8 = 4 (the mean of the two batch means would be 3)
        BcoState s = BcoState.initial().update(1, 2).update(5, 6);
        assertEquals(4, s.mean(), 1e-15);
        assertEquals(8, s.count(), 0);
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
        Expect.badArgument(() -> new BcoState(0, -1), "count", "(-1.0)", ">= 0");
        Expect.badArgument(
                () -> BcoState.initial().update(Double.POSITIVE_INFINITY), "batchMean", "Infinity");
        Expect.badArgument(() -> BcoState.initial().update(1, 0), "batchCount", "> 0");
    }
}
