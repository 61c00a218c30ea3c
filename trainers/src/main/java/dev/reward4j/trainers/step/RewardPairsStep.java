package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;

/**
 * Reward model on preference pairs with any Bradley-Terry variant. One forward over the {@code 2B}
 * stacked rows gives the rewards; the data's {@code margin} column feeds the variant's auxiliary
 * (BT margin, scaled-BT strength, soft-BT target probability, Rao-Kupper tie flag). Loss: weighted
 * sum over pairs; units: the sum of pair weights. {@link PackedRewardPairsStep} is the same
 * objective on packed rows.
 */
public final class RewardPairsStep implements dev.reward4j.trainers.loop.TrainingStep<PairBatch> {
    private final DecoderModel model;
    private final PairRewardLoss loss;

    /** Creates the objective for a reward-head {@code model}. */
    public RewardPairsStep(DecoderModel model, RewardModelObjective loss) {
        this.model = model;
        this.loss = new PairRewardLoss(loss);
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        return loss.step(
                rewards(model, batch),
                batch.margin(),
                batch.weight(),
                batch.ids(),
                batch.realTokens());
    }

    /**
     * The rewards of a pair batch's {@code 2B} rows (chosen rows, then rejected rows): score column
     * 0 of one forward, read at the position the model's pooling gives ({@code
     * DecoderModel.pooledPositions}: by default transformers' last token that is not the pad id).
     * The training loss, its held-out evaluation and {@code reward4j eval} all score pairs with
     * this. Attached to the batch's manager.
     */
    public static NDArray rewards(DecoderModel model, PairBatch batch) {
        return model.scores(batch.inputIds(), batch.attentionMask()).get(":, 0");
    }

    /**
     * The loss output of one batch: rewards from one forward over the {@code 2B} rows, the
     * variant's auxiliary from the margin column, weighted sum over pairs. Arrays are attached to
     * the batch's manager.
     */
    public PairwiseOutput output(PairBatch batch) {
        return loss.output(rewards(model, batch), batch.margin(), batch.weight());
    }

    /** {@link #rewards(DecoderModel, PairBatch)} of this step's model. */
    public NDArray rewards(PairBatch batch) {
        return rewards(model, batch);
    }

    /**
     * The loss output of one batch whose {@code 2B} rewards are already computed (by {@link
     * #rewards(PairBatch)}): the variant's auxiliary from the margin column, weighted sum over
     * pairs.
     */
    public PairwiseOutput output(PairBatch batch, NDArray rewards) {
        return loss.output(rewards, batch.margin(), batch.weight());
    }
}
