package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.ListwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;

/**
 * Listwise reward model over ranked lists: one forward over the {@code B*K} item rows, scores
 * reshaped to {@code (B, K)}, a listwise loss against the list's scores. Loss: sum over lists;
 * units: lists.
 */
public final class RewardListsStep implements TrainingStep<ListBatch> {
    private final DecoderModel model;
    private final ListwiseObjective loss;

    /** Creates the objective for a reward-head {@code model}. */
    public RewardListsStep(DecoderModel model, ListwiseObjective loss) {
        this.model = model;
        this.loss = loss;
    }

    @Override
    public StepResult compute(ListBatch batch, StepContext ctx) {
        NDArray scores =
                model.scores(batch.inputIds(), batch.attentionMask())
                        .reshape(batch.scores().getShape());
        ListwiseOutput out =
                loss.apply(scores, batch.scores(), batch.itemMask(), null, Reduction.SUM);
        return ListMetrics.step(scores, batch, out);
    }
}
