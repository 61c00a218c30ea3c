package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.trainers.eval.HeldOutEvaluator;
import dev.reward4j.trainers.loop.Evaluator;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.optim.Gradients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Held-out evaluation of a pairwise reward model: the training loss plus the held-out report of
 * {@link HeldOutEvaluator} over all pairs at once (strict accuracy, reward and margin moments and
 * the expected calibration error, which cannot be merged from per-batch sums). One forward per
 * batch, grad mode off.
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
        List<double[]> chosen = new ArrayList<>();
        List<double[]> rejected = new ArrayList<>();
        double[] lossAndUnits = new double[2];
        Gradients.withGradModeOff(
                () -> {
                    for (Function<NDManager, PairBatch> factory : batches) {
                        try (NDManager m = manager.newSubManager();
                                PairBatch batch = factory.apply(m);
                                NDScope ignored = new NDScope()) {
                            PairwiseOutput out = objective.output(batch);
                            lossAndUnits[0] += HostArrays.sum(out.loss());
                            lossAndUnits[1] += HostArrays.sum(batch.weight());
                            chosen.add(HostArrays.of(out.chosenReward()));
                            rejected.add(HostArrays.of(out.rejectedReward()));
                        }
                    }
                    return null;
                });
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(
                MetricNames.LOSS,
                lossAndUnits[1] == 0 ? Double.NaN : lossAndUnits[0] / lossAndUnits[1]);
        double[] c = flatten(chosen);
        double[] r = flatten(rejected);
        if (c.length > 0 && HostArrays.allFinite(c) && HostArrays.allFinite(r)) {
            values.putAll(HeldOutEvaluator.evaluate(c, r).metrics());
        }
        return values;
    }

    private static double[] flatten(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
