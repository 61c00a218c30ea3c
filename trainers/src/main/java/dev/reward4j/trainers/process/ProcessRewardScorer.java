package dev.reward4j.trainers.process;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.StepBatch;
import dev.reward4j.core.heads.StepHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores solutions with a trained process reward model: per-step rewards \( \sigma(z_s) \) (the
 * probability that the solution is still correct after step s), aggregated by {@link
 * StepAggregation}. Runs with grad mode off.
 */
public final class ProcessRewardScorer {
    private final DecoderModel model;

    /**
     * Creates the scorer.
     *
     * @param model the trained model (scalar reward head)
     */
    public ProcessRewardScorer(DecoderModel model) {
        this.model = model;
    }

    /**
     * The step rewards of every solution of the batch.
     *
     * @param batch the solutions
     * @return per-solution step rewards (real steps only)
     */
    public StepRewards stepRewards(StepBatch batch) {
        return Gradients.withGradModeOff(
                () -> {
                    NDArray z = StepHead.logits(model, batch);
                    double[] p = HostArrays.of(z);
                    for (int i = 0; i < p.length; i++) {
                        p[i] = 1 / (1 + Math.exp(-p[i]));
                    }
                    double[] m = HostArrays.of(batch.stepMask());
                    int slots = batch.stepSlots();
                    List<double[]> steps = new ArrayList<>();
                    for (int b = 0; b < batch.size(); b++) {
                        int n = 0;
                        while (n < slots && m[b * slots + n] > 0) {
                            n++;
                        }
                        steps.add(Arrays.copyOfRange(p, b * slots, b * slots + n));
                    }
                    return new StepRewards(batch.ids(), steps);
                });
    }

    /**
     * One score per solution.
     *
     * @param batch the solutions
     * @param aggregation how step rewards combine
     * @return the scores
     */
    public double[] score(StepBatch batch, StepAggregation aggregation) {
        return stepRewards(batch).aggregate(aggregation);
    }
}
