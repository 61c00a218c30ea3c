package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.util.Checks;

/**
 * K scalar outputs read at the last token of each response: the heads of a multi-head reward
 * ensemble on a shared backbone, the cluster heads of EM over users, or the embedding of an
 * ideal-point model.
 *
 * <p><b>Column layout</b> of the score head ({@code num_labels = K}): column j is head (or
 * embedding dimension) j, read at the last attended token. Saved, the model is a plain HF sequence
 * classifier whose logits are the K heads.
 *
 * @param heads number of columns K {@code >= 1}
 */
public record ScalarHeads(int heads) {
    /** Validates K. */
    public ScalarHeads {
        Checks.argument(heads >= 1, () -> "ScalarHeads: heads (" + heads + "); expected >= 1");
    }

    /** The model head to create or load the model with. */
    public ModelHead modelHead() {
        return ModelHead.reward(heads);
    }

    /**
     * Reads the K columns at the last token of every row.
     *
     * @param model a model with {@link #modelHead()}
     * @param inputIds (N, T) token ids
     * @param attentionMask (N, T) mask
     * @return (N, K), attached to the manager of {@code inputIds}
     */
    public NDArray read(DecoderModel model, NDArray inputIds, NDArray attentionMask) {
        ReadPositions.requireColumns(model, heads, "ScalarHeads");
        return model.scores(inputIds, attentionMask);
    }
}
