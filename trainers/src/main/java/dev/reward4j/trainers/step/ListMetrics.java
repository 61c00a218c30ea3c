package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.losses.ListwiseOutput;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.RankingMetrics;

/** NDCG@K, Kendall tau and pair accuracy of a list batch. */
final class ListMetrics {
    private ListMetrics() {}

    static MetricBag of(NDArray scores, ListBatch batch, ListwiseOutput out) {
        MetricBag bag = new MetricBag();
        double[] predicted = HostArrays.of(scores.stopGradient());
        if (HostArrays.allFinite(predicted)) {
            int k = (int) batch.scores().getShape().get(1);
            RankingMetrics.addTo(
                    bag,
                    predicted,
                    HostArrays.of(batch.scores()),
                    HostArrays.of(batch.itemMask()),
                    k,
                    k);
            bag.add("pair_accuracy", HostArrays.sum(out.pairAccuracy()), batch.ids().size());
        }
        return bag;
    }
}
