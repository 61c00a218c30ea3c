package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PointwiseBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RegressionOutput;
import dev.reward4j.losses.RewardModelLosses;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;

/**
 * Multi-attribute reward regression (masked squared error over present ratings). Loss: sum of
 * squared errors over present ratings; units: number of present ratings (so the step loss is the
 * MSE over all present ratings).
 */
public final class RegressionStep implements TrainingStep<PointwiseBatch> {
    private final DecoderModel model;

    /** Creates the objective for a reward-head {@code model} with one output per attribute. */
    public RegressionStep(DecoderModel model) {
        this.model = model;
    }

    @Override
    public StepResult compute(PointwiseBatch batch, StepContext ctx) {
        NDArray predictions = model.scores(batch.inputIds(), batch.attentionMask()); // (B, A)
        RegressionOutput out =
                RewardModelLosses.multiAttributeRegression(
                        predictions, batch.targets(), batch.targetMask(), null, Reduction.SUM);
        double present = HostArrays.sum(batch.targetMask());
        MetricBag bag = new MetricBag();
        NDArray absErr =
                predictions.stopGradient().sub(batch.targets()).abs().mul(batch.targetMask());
        bag.add("mae", HostArrays.sum(absErr), present);
        return new StepResult(out.loss(), present, bag, batch.ids(), batch.realTokens());
    }
}
