package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.ListwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.reference.FrozenReference;

/**
 * Listwise policy objective over ranked responses: LiPO-lambda on implicit rewards \( \beta(\log\pi
 * - \log\pi_{ref}) \) (summed response log-probs, frozen reference required), or PRO on per-token
 * mean policy log-probs (reference-free). Loss: sum over lists; units: lists. Metrics: NDCG@K,
 * Kendall tau, pair accuracy.
 */
public final class PolicyListsStep implements TrainingStep<ListBatch> {
    private final DecoderModel policy;
    private final ListwiseObjective loss;
    private final double beta;
    private final FrozenReference reference;

    /**
     * Creates the objective.
     *
     * @param policy trained LM-head model
     * @param loss {@code LipoLambda} or {@code Pro}
     * @param beta implicit-reward scale (LiPO-lambda)
     * @param reference frozen reference (required by LiPO-lambda, ignored by PRO)
     */
    public PolicyListsStep(
            DecoderModel policy, ListwiseObjective loss, double beta, FrozenReference reference) {
        Checks.argument(
                !(loss instanceof ListwiseObjective.LipoLambda) || reference != null,
                "lipo-lambda: no reference model (null); expected a frozen reference for the"
                        + " implicit rewards");
        this.policy = policy;
        this.loss = loss;
        this.beta = beta;
        this.reference = reference;
    }

    @Override
    public StepResult compute(ListBatch batch, StepContext ctx) {
        SequenceLogps seq =
                SequenceLogps.of(
                        policy.tokenLogps(batch.inputIds(), batch.attentionMask()),
                        batch.responseMask());
        NDArray itemScores;
        if (loss instanceof ListwiseObjective.Pro) {
            itemScores = seq.mean();
        } else {
            NDArray ref =
                    reference.sequenceLogps(
                            batch.inputIds(), batch.attentionMask(), batch.responseMask());
            NDArray diff = seq.sum().sub(ref);
            itemScores = diff.mul(dev.reward4j.trainers.loop.Scalars.of(diff, beta));
        }
        NDArray scores = itemScores.reshape(batch.scores().getShape());
        ListwiseOutput out =
                loss.apply(scores, batch.scores(), batch.itemMask(), null, Reduction.SUM);
        return ListMetrics.step(scores, batch, out);
    }
}
