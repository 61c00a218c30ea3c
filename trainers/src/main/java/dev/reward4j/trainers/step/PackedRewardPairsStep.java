package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PackedBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;

/**
 * {@link RewardPairsStep} on packed pairs ({@code dev.reward4j.core.data.Packer#packPairs}):
 * several sequences per row under a block-diagonal causal mask, no padding compute. One packed
 * forward gives the {@code 2B} sequence rewards in PairBatch order (chosen sequences, then
 * rejected), and the rest is the padded objective's code: the same Bradley-Terry variants with the
 * margin column as auxiliary, pair weights, loss sum, units and reward metrics. Up to float
 * reordering, a packed step equals the padded step of the same pairs.
 *
 * <p>Held-out evaluation stays padded ({@link RewardPairsEvaluator} over the padded objective), so
 * its numbers are comparable with unpacked runs.
 */
public final class PackedRewardPairsStep implements TrainingStep<PackedBatch> {
    private final DecoderModel model;
    private final PairRewardLoss loss;

    /** Creates the objective for a reward-head {@code model}. */
    public PackedRewardPairsStep(DecoderModel model, RewardModelObjective loss) {
        this.model = model;
        this.loss = new PairRewardLoss(loss);
    }

    @Override
    public StepResult compute(PackedBatch batch, StepContext ctx) {
        return loss.step(
                rewards(model, batch),
                batch.margin(),
                batch.weight(),
                batch.ids(),
                batch.realTokens());
    }

    /**
     * The {@code 2B} sequence rewards of a packed pair batch (chosen sequences, then rejected):
     * score column 0 read at each sequence's last token. Attached to the batch's manager.
     */
    public static NDArray rewards(DecoderModel model, PackedBatch batch) {
        return model.scoresPacked(
                        batch.inputIds(),
                        batch.positionIds(),
                        batch.segmentIds(),
                        batch.seqRow(),
                        batch.seqLast())
                .get(":, 0");
    }

    /**
     * The loss output of one packed batch (weighted sum over pairs); arrays are attached to the
     * batch's manager.
     */
    public PairwiseOutput output(PackedBatch batch) {
        return loss.output(rewards(model, batch), batch.margin(), batch.weight());
    }
}
