package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.Moments;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import dev.reward4j.trainers.metrics.RankingMetrics;
import java.util.Map;

/**
 * Evaluates a reward model on held-out pairs: strict accuracy, margin statistics, reward statistics
 * and calibration (ECE with {@link Calibration} equal-width bins) of rewards that {@link
 * HeldOutPairs} scored; and held-out ranked lists.
 */
public final class HeldOutEvaluator {
    private HeldOutEvaluator() {}

    /** Evaluates already computed rewards (row i of both arrays = pair i). */
    public static HeldOutResult evaluate(double[] chosen, double[] rejected, int calibrationBins) {
        Calibration.Result cal = Calibration.of(chosen, rejected, calibrationBins);
        return new HeldOutResult(
                chosen.length,
                PairwiseMetrics.accuracy(chosen, rejected),
                PairwiseMetrics.preferenceNll(chosen, rejected),
                PairwiseMetrics.marginStats(chosen, rejected),
                Moments.of(chosen),
                Moments.of(rejected),
                PairwiseMetrics.rewardStats(chosen, rejected),
                cal,
                chosen.clone(),
                rejected.clone());
    }

    /**
     * Scores held-out ranked lists with a reward model and returns the mean NDCG@k ({@code ndcg@k})
     * and Kendall tau-b ({@code kendall_tau}) of the model scores against the reference scores over
     * the real items of each list (see {@link RankingMetrics}). Batches are scored inside an {@link
     * NDScope} and closed.
     *
     * @param batches held-out list batches
     * @param model the reward model's forward pass; column 0 of an (N, K) output is used
     * @param k NDCG cut-off
     * @return metric name to value
     */
    @SuppressWarnings("try") // the NDScope is used for its close(), never referenced
    public static Map<String, Double> evaluateLists(
            Iterable<ListBatch> batches, ScoreForward model, int k) {
        MetricBag bag = new MetricBag();
        for (ListBatch batch : batches) {
            try (batch;
                    NDScope scope = new NDScope()) {
                long rows = batch.inputIds().getShape().get(0);
                NDArray out = model.scores(batch.inputIds(), batch.attentionMask());
                Checks.state(
                        out.getShape().get(0) == rows,
                        () ->
                                "held-out eval: model returned shape "
                                        + out.getShape()
                                        + " for "
                                        + rows
                                        + " list items; expected (B*K) or (B*K, K')");
                NDArray col = out.getShape().dimension() == 2 ? out.get(":, 0") : out;
                int listSize = (int) batch.scores().getShape().get(1);
                RankingMetrics.addTo(
                        bag,
                        HostArrays.of(col),
                        HostArrays.of(batch.scores()),
                        HostArrays.of(batch.itemMask()),
                        listSize,
                        k);
            }
        }
        return bag.means();
    }

    /** {@link #evaluate(double[], double[], int)} with {@link Calibration#DEFAULT_BINS}. */
    public static HeldOutResult evaluate(double[] chosen, double[] rejected) {
        return evaluate(chosen, rejected, Calibration.DEFAULT_BINS);
    }
}
