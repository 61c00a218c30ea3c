package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.trainers.eval.HeldOutEvaluator;
import dev.reward4j.trainers.eval.HeldOutPairs;
import dev.reward4j.trainers.loop.Evaluator;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Held-out evaluation of a pairwise reward model: the training loss plus the held-out report of
 * {@link HeldOutEvaluator} over all pairs at once (strict accuracy, reward and margin moments and
 * the expected calibration error, which cannot be merged from per-batch sums). The pairs are scored
 * by the one held-out loop, {@link HeldOutPairs#score(List, dev.reward4j.trainers.eval.PairRewards,
 * NDManager, HeldOutPairs.BatchObserver)} (one forward per batch, grad mode off), which {@code
 * reward4j eval} uses too.
 */
public final class RewardPairsEvaluator implements Evaluator {
    private final RewardPairsStep objective;
    private final List<Function<NDManager, PairBatch>> batches;
    private final NDManager manager;

    /**
     * Creates the evaluator over held-out batch factories; per-batch managers are sub-managers of
     * {@code manager}.
     */
    public RewardPairsEvaluator(
            RewardPairsStep objective,
            List<Function<NDManager, PairBatch>> batches,
            NDManager manager) {
        this.objective = objective;
        this.batches = List.copyOf(batches);
        this.manager = manager;
    }

    @Override
    public Map<String, Double> evaluate(long step) {
        double[] lossAndUnits = new double[2];
        HeldOutPairs.Scores scores =
                HeldOutPairs.score(
                        batches,
                        objective::rewards,
                        manager,
                        (batch, rewards) -> {
                            PairwiseOutput out = objective.output(batch, rewards);
                            lossAndUnits[0] += HostArrays.sum(out.loss());
                            lossAndUnits[1] += HostArrays.sum(batch.weight());
                        });
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(
                MetricNames.LOSS,
                lossAndUnits[1] == 0 ? Double.NaN : lossAndUnits[0] / lossAndUnits[1]);
        double[] c = scores.chosen();
        double[] r = scores.rejected();
        if (c.length > 0 && HostArrays.allFinite(c) && HostArrays.allFinite(r)) {
            values.putAll(scores.evaluate().metrics());
        }
        return values;
    }
}
