package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import java.util.List;

/**
 * The part of pairwise reward-model training that does not depend on the batch layout: {@code 2B}
 * rewards (chosen rows, then rejected rows) plus the batch's margin and weight columns become the
 * {@link RewardPair} (the margin column feeds the variant's auxiliary: BT margin, scaled-BT
 * strength, soft-BT target probability, Rao-Kupper tie flag), the weighted loss sum and the reward
 * metrics. Shared by {@link RewardPairsStep} (padded rows) and {@link PackedRewardPairsStep}
 * (packed rows), so both train and report identically.
 */
final class PairRewardLoss {
    private final RewardModelObjective loss;

    PairRewardLoss(RewardModelObjective loss) {
        this.loss = loss;
    }

    /**
     * The loss output of {@code rewards} (2B), weighted sum over pairs; attached to the rewards'
     * manager.
     *
     * @param margin (B) float32 or null (no margin column)
     * @param weight (B) float32 pair weights
     */
    PairwiseOutput output(NDArray rewards, NDArray margin, NDArray weight) {
        NDList halves = RowBlocks.halves(rewards);
        RewardPair pair =
                loss.withMarginColumn(RewardPair.of(halves.get(0), halves.get(1)), margin);
        return loss.apply(pair, weight, Reduction.SUM);
    }

    /**
     * One training step's result: the loss sum, units = the sum of pair weights, and the pairwise
     * reward metrics, left on the device until the loop's one host read of the step.
     */
    StepResult step(
            NDArray rewards, NDArray margin, NDArray weight, List<String> ids, long realTokens) {
        PairwiseOutput out = output(rewards, margin, weight);
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        weight.toType(DataType.FLOAT64, false).sum(),
                        PairRewardLoss::addMetrics,
                        out.chosenReward(),
                        out.rejectedReward());
        return StepResult.deferred(out.loss(), metrics, ids, realTokens);
    }

    private static void addMetrics(MetricBag bag, List<double[]> values) {
        double[] c = values.get(0);
        double[] r = values.get(1);
        if (HostArrays.allFinite(c) && HostArrays.allFinite(r)) {
            PairwiseMetrics.addTo(bag, c, r);
        }
    }
}
