package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MetricBagTest {

    @Nested
    class Means {
        @Test
        void dividesTheMergedSumByTheMergedCountOnce() {
            // micro-batch 1: 3 of 4 correct; micro-batch 2: 0 of 1 correct -> 3/5, not mean(0.75,
            // 0) = 0.375
            MetricBag a = new MetricBag().add("accuracy", 3, 4);
            MetricBag b = new MetricBag().add("accuracy", 0, 1);
            assertEquals(0.6, a.merge(b).mean("accuracy"), 1e-15);
        }

        @Test
        void leavesOutMetricsWithZeroCountAndReportsNaNForThem() {
            MetricBag bag = new MetricBag().add("empty", 0, 0).addValue("x", 2);
            assertEquals(Map.of("x", 2.0), bag.means());
            assertTrue(Double.isNaN(bag.mean("empty")));
            assertTrue(Double.isNaN(bag.mean("absent")));
        }

        @Test
        void rejectsANegativeCount() {
            assertThrows(IllegalArgumentException.class, () -> new MetricBag().add("x", 1, -1));
        }
    }

    @Nested
    class Moments {
        @Test
        void mergedMomentsGiveThePopulationStdOfTheConcatenatedBatch() {
            // values {1, 2} and {3, 4, 5}: mean 3, population variance (4+1+0+1+4)/5 = 2
            MetricBag a = new MetricBag().addMoments("m", 3, 1 + 4, 2);
            MetricBag b = new MetricBag().addMoments("m", 12, 9 + 16 + 25, 3);
            MetricBag bag = a.merge(b);
            assertEquals(3.0, bag.mean("m"), 1e-15);
            assertEquals(Math.sqrt(2), bag.std("m"), 1e-15);
            assertEquals(Math.sqrt(2), bag.means().get("m" + MetricBag.STD_SUFFIX), 1e-15);
        }

        @Test
        void stdIsNaNForAMetricWithoutSecondMoment() {
            assertTrue(Double.isNaN(new MetricBag().addValue("x", 1).std("x")));
        }
    }
}
