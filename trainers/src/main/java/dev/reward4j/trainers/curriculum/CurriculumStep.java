package dev.reward4j.trainers.curriculum;

import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.reference.FrozenReference;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training step of a curriculum: before the first training micro-step of a new stage the frozen
 * reference becomes a copy of the policy as it is then (the model at the end of the previous
 * stage), as Curry-DPO refreshes its reference between iterations; then the wrapped step computes
 * the loss. Evaluation never refreshes. Logs {@code curriculum/stage} (0-based) with every
 * micro-step.
 *
 * <p>State ({@link #state()}): the stage whose reference is loaded, followed by the wrapped step's
 * state; a resumed run restores both, and the caller restores that stage's reference weights (they
 * are not the resumed policy's).
 *
 * @param <B> batch type
 */
public final class CurriculumStep<B> implements TrainingStep<B> {
    private static final Logger LOG = LoggerFactory.getLogger(CurriculumStep.class);

    /** The metric holding the stage (0-based) of the logged steps. */
    public static final String STAGE_METRIC = "curriculum/stage";

    private final TrainingStep<B> inner;
    private final CurriculumSchedule schedule;
    private final FrozenReference reference;
    private final DecoderModel policy;
    private final IntConsumer onRefresh;
    private int stage;

    /**
     * Creates the step.
     *
     * @param inner the objective's step (its reference must be {@code reference})
     * @param schedule the stages of the optimizer steps
     * @param reference the frozen reference the inner step reads
     * @param policy the trained model
     * @param onRefresh called with the new stage after each refresh (e.g. to save the reference),
     *     or null
     */
    public CurriculumStep(
            TrainingStep<B> inner,
            CurriculumSchedule schedule,
            FrozenReference reference,
            DecoderModel policy,
            IntConsumer onRefresh) {
        this.inner = Objects.requireNonNull(inner, "curriculum: inner step");
        this.schedule = Objects.requireNonNull(schedule, "curriculum: schedule");
        this.reference = Objects.requireNonNull(reference, "curriculum: reference");
        this.policy = Objects.requireNonNull(policy, "curriculum: policy");
        this.onRefresh = onRefresh;
    }

    @Override
    public StepResult compute(B batch, StepContext ctx) {
        if (ctx.training()) {
            int s = schedule.stageOf(ctx.step());
            if (s > stage) {
                reference.refreshFrom(policy);
                LOG.info(
                        "curriculum: stage {} starts at step {}; the reference is now the policy"
                                + " of step {}",
                        s,
                        ctx.step(),
                        ctx.step() - 1);
                stage = s;
                if (onRefresh != null) {
                    onRefresh.accept(s);
                }
            }
        }
        StepResult r = inner.compute(batch, ctx);
        r.metrics().addValue(STAGE_METRIC, stage);
        return r;
    }

    /** The stage whose reference is loaded (0 until the first refresh). */
    public int stage() {
        return stage;
    }

    @Override
    public double[] state() {
        double[] inner = this.inner.state();
        double[] out = new double[inner.length + 1];
        out[0] = stage;
        System.arraycopy(inner, 0, out, 1, inner.length);
        return out;
    }

    @Override
    public void restore(double[] state) {
        Checks.argument(
                state.length >= 1 && state[0] >= 0 && state[0] < schedule.stages(),
                () ->
                        "curriculum: a checkpoint holds the step state "
                                + java.util.Arrays.toString(state)
                                + "; expected the stage (0.."
                                + (schedule.stages() - 1)
                                + ") followed by the objective's state");
        stage = (int) state[0];
        inner.restore(java.util.Arrays.copyOfRange(state, 1, state.length));
    }
}
