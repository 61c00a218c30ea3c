package dev.reward4j.trainers.pluralistic;

import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import java.util.List;

/**
 * MaxMin-RLHF's EM as one training run: the M-step is {@link ResponsibilityPairsStep} under the
 * current {@link UserClusters}; at the start of every optimizer step {@code 1 + n * roundSteps}
 * ({@code n >= 1}) the E-step reassigns the users first, on the model as it is after the previous
 * round. Because the E-step depends only on the model and the step number, a run resumed from a
 * checkpoint (which holds the assignment) repeats the uninterrupted run. A training micro-step at
 * an E-step adds the metric {@code users_moved}.
 */
public final class UserClusterStep implements TrainingStep<UserPairBatch> {
    private final DecoderModel model;
    private final ScalarHeads heads;
    private final UserClusters clusters;
    private final List<TokenizedPair> train;
    private final Padding padding;
    private final int roundSteps;
    private final int batchSize;
    private ResponsibilityPairsStep mStep;
    private long lastEStep;

    /**
     * Creates the step.
     *
     * @param model a model created or loaded with {@code heads.modelHead()}
     * @param heads the K cluster heads
     * @param clusters the assignment (updated in place by the E-steps)
     * @param train the training pairs of the E-step
     * @param padding collation padding of the E-step
     * @param roundSteps optimizer steps per round {@code >= 1}
     * @param batchSize pairs per E-step forward
     */
    public UserClusterStep(
            DecoderModel model,
            ScalarHeads heads,
            UserClusters clusters,
            List<TokenizedPair> train,
            Padding padding,
            int roundSteps,
            int batchSize) {
        this.model = model;
        this.heads = heads;
        this.clusters = clusters;
        this.train = train;
        this.padding = padding;
        this.roundSteps = Checks.positive(roundSteps, "UserClusterStep.roundSteps");
        this.batchSize = Checks.positive(batchSize, "UserClusterStep.batchSize");
        this.mStep = new ResponsibilityPairsStep(model, heads, clusters.responsibilities());
    }

    @Override
    public StepResult compute(UserPairBatch batch, StepContext ctx) {
        int moved = -1;
        if (ctx.training()
                && ctx.step() > 1
                && (ctx.step() - 1) % roundSteps == 0
                && lastEStep != ctx.step()) {
            lastEStep = ctx.step();
            moved = expectationStep();
        }
        StepResult r = mStep.compute(batch, ctx);
        if (moved >= 0) {
            r.metrics().addValue("users_moved", moved);
        }
        return r;
    }

    /**
     * Runs the E-step now and rebuilds the M-step's responsibilities.
     *
     * @return users that changed cluster
     */
    public int expectationStep() {
        int moved = clusters.expectationStep(model, heads, train, padding, batchSize);
        mStep = new ResponsibilityPairsStep(model, heads, clusters.responsibilities());
        return moved;
    }

    /** The assignment. */
    public UserClusters clusters() {
        return clusters;
    }
}
