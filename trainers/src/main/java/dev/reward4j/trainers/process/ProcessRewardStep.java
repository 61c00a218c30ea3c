package dev.reward4j.trainers.process;

import dev.reward4j.core.data.StepBatch;
import dev.reward4j.core.heads.StepHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.StepObjective;
import dev.reward4j.losses.StepOutput;
import dev.reward4j.losses.StepScores;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.MetricNames;

/**
 * A process reward model on step-annotated solutions: one forward reads a logit at every step
 * separator ({@link StepHead}), the loss is per-step BCE ({@link StepObjective}) summed over the
 * real steps; units: the number of real steps (so the logged loss is the per-step mean, as
 * Math-Shepherd); metrics: {@code loss} and {@code accuracy} = fraction of steps whose reward is on
 * the label's side of 0.5.
 */
public final class ProcessRewardStep implements TrainingStep<StepBatch> {
    private final DecoderModel model;
    private final StepObjective loss;

    /**
     * Creates the objective.
     *
     * @param model a model with a scalar reward head ({@link StepHead#modelHead()})
     * @param loss the step loss
     */
    public ProcessRewardStep(DecoderModel model, StepObjective loss) {
        this.model = model;
        this.loss = loss;
    }

    @Override
    public StepResult compute(StepBatch batch, StepContext ctx) {
        StepOutput out =
                loss.apply(
                        new StepScores(
                                StepHead.logits(model, batch),
                                batch.stepLabels(),
                                batch.stepMask()),
                        batch.weight(),
                        Reduction.SUM);
        double[] p = HostArrays.of(out.probability());
        double[] y = HostArrays.of(batch.stepLabels());
        double[] m = HostArrays.of(batch.stepMask());
        double right = 0;
        double steps = 0;
        for (int i = 0; i < p.length; i++) {
            if (m[i] > 0) {
                steps++;
                right += (p[i] > 0.5) == (y[i] > 0.5) ? 1 : 0;
            }
        }
        MetricBag bag = new MetricBag().add(MetricNames.ACCURACY, right, steps);
        return new StepResult(out.loss(), steps, bag, batch.ids(), batch.realTokens());
    }
}
