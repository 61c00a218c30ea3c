package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.losses.ListwiseOutput;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.RankingMetrics;
import java.util.List;

/** NDCG@K, Kendall tau and pair accuracy of a list batch. */
final class ListMetrics {
    private ListMetrics() {}

    /**
     * The step result of a list objective: units = lists, ranking metrics read with the loop's one
     * host transfer.
     */
    static StepResult step(NDArray scores, ListBatch batch, ListwiseOutput out) {
        int k = (int) batch.scores().getShape().get(1);
        int lists = batch.ids().size();
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        lists,
                        (bag, v) -> addTo(bag, v, k, lists),
                        scores,
                        batch.scores(),
                        batch.itemMask(),
                        out.pairAccuracy());
        return StepResult.deferred(out.loss(), metrics, batch.ids(), batch.realTokens());
    }

    private static void addTo(MetricBag bag, List<double[]> v, int k, int lists) {
        double[] predicted = v.get(0);
        if (HostArrays.allFinite(predicted)) {
            RankingMetrics.addTo(bag, predicted, v.get(1), v.get(2), k, k);
            double accuracy = 0;
            for (double a : v.get(3)) {
                accuracy += a;
            }
            bag.add("pair_accuracy", accuracy, lists);
        }
    }
}
