package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.StepBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;

/**
 * The head of a process reward model: one logit per step, read at the step's (last) separator
 * token. {@code sigmoid(logit)} is the step reward: the probability that the solution is still
 * correct after the step.
 *
 * <p><b>Column layout:</b> a scalar score head ({@code num_labels = 1}), read at the separator
 * positions instead of (only) the last token; saved, the model is an HF sequence classifier whose
 * logit at the last token is the last step's logit.
 */
public final class StepHead {
    private StepHead() {}

    /** The model head to create or load the model with ({@link ModelHead#REWARD}). */
    public static ModelHead modelHead() {
        return ModelHead.REWARD;
    }

    /**
     * Step logits of a batch with one forward pass.
     *
     * @param model a model with a scalar reward head
     * @param batch the step batch
     * @return (B, S) logits (padded slots hold the row's last-token logit; mask them), attached to
     *     the manager of {@code batch.inputIds()}
     */
    public static NDArray logits(DecoderModel model, StepBatch batch) {
        ReadPositions.requireColumns(model, 1, "StepHead");
        NDArray out =
                model.scoresAt(
                        batch.inputIds(),
                        batch.attentionMask(),
                        batch.stepRows(),
                        batch.stepPositions());
        return out.reshape(batch.size(), batch.stepSlots());
    }
}
