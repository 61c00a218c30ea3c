package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HostArraysTest {

    @Nested
    class Copies {
        @Test
        void copiesFloat32ToDoublesWithoutLeavingArraysAttached() {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray a = m.create(new float[] {1.5f, -2f, 0.25f, 4f}, new Shape(2, 2));
                long before = m.getManagedArrays().size();
                assertArrayEquals(new double[] {1.5, -2, 0.25, 4}, HostArrays.of(a));
                assertEquals(before, m.getManagedArrays().size());
                assertNull(HostArrays.of(null));
            }
        }

        @Test
        void ndArrayOverloadsMatchTheHostCalculators() {
            try (NDManager m = NDManager.newBaseManager()) {
                double[] c = {2, 1, 0.5, 4};
                double[] r = {1, 3, 0.5, -1};
                Map<String, Double> host = PairwiseMetrics.addTo(new MetricBag(), c, r).means();
                Map<String, Double> nd =
                        PairwiseMetrics.addTo(
                                        new MetricBag(),
                                        m.create(new float[] {2, 1, 0.5f, 4}),
                                        m.create(new float[] {1, 3, 0.5f, -1}))
                                .means();
                assertEquals(host, nd);
                // (B=2, K=2) lists: [0.9, 0.1] vs labels [1, 0] (perfect), [0.2, 0.8] vs [1, 0]
                // (reversed)
                Map<String, Double> rank =
                        RankingMetrics.addTo(
                                        new MetricBag(),
                                        m.create(
                                                new float[] {0.9f, 0.1f, 0.2f, 0.8f},
                                                new Shape(2, 2)),
                                        m.create(new float[] {1, 0, 1, 0}, new Shape(2, 2)),
                                        null,
                                        2)
                                .means();
                assertEquals(0.0, rank.get(MetricNames.KENDALL_TAU));
            }
        }
    }
}
