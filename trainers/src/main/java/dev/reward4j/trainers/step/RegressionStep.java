package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PointwiseBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RegressionOutput;
import dev.reward4j.losses.RewardModelLosses;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;

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
        NDArray absErr =
                predictions.stopGradient().sub(batch.targets()).abs().mul(batch.targetMask());
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        batch.targetMask().toType(DataType.FLOAT64, false).sum(),
                        (bag, v) -> bag.add("mae", sum(v.get(0)), sum(v.get(1))),
                        absErr.toType(DataType.FLOAT64, false).sum(),
                        batch.targetMask().toType(DataType.FLOAT64, false).sum());
        return StepResult.deferred(out.loss(), metrics, batch.ids(), batch.realTokens());
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
