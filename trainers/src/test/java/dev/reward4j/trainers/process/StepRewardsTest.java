package dev.reward4j.trainers.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepRewardsTest {
    @Test
    void minLastAndProductAggregateEachSolution() {
        StepRewards r =
                new StepRewards(
                        List.of("a", "b"),
                        List.of(new double[] {0.9, 0.4, 0.8}, new double[] {0.7}));
        assertArrayEquals(new double[] {0.4, 0.7}, r.aggregate(StepAggregation.MIN), 0.0);
        assertArrayEquals(new double[] {0.8, 0.7}, r.aggregate(StepAggregation.LAST), 0.0);
        assertArrayEquals(
                new double[] {0.9 * 0.4 * 0.8, 0.7}, r.aggregate(StepAggregation.PRODUCT), 1e-15);
        assertArrayEquals(new int[] {1, -1}, r.firstBelow(0.5));
        assertEquals(List.of("a", "b", "a", "b"), StepRewards.concat(List.of(r, r)).ids());
        assertThrows(
                IllegalArgumentException.class, () -> StepAggregation.MIN.apply(new double[0]));
    }
}
