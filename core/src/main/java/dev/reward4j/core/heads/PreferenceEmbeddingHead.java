package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.util.Checks;

/**
 * The head of a general preference model (GPM): a preference embedding of {@code 2k} dimensions per
 * response and, optionally, {@code k} gate logits computed from the prompt.
 *
 * <p><b>Column layout</b> of the score head ({@code num_labels = 2k} or {@code 3k}): columns {@code
 * [0, 2k)} are the raw embedding read at the last token of each response (normalised by the loss
 * and the scorer); with a gate, columns {@code [2k, 3k)} are the gate logits read at the last
 * prompt token.
 *
 * @param k number of 2x2 blocks ({@code k = 1}: two-dimensional embeddings, which already express
 *     any three-item cycle)
 * @param gated whether the head has prompt-dependent gate logits
 */
public record PreferenceEmbeddingHead(int k, boolean gated) {
    /** Validates {@code k}. */
    public PreferenceEmbeddingHead {
        Checks.argument(k >= 1, () -> "PreferenceEmbeddingHead: k (" + k + "); expected >= 1");
    }

    /** Number of score-head columns. */
    public int columns() {
        return 2 * k + (gated ? k : 0);
    }

    /** The model head to create or load the model with. */
    public ModelHead modelHead() {
        return ModelHead.reward(columns());
    }

    /**
     * Head outputs of every row.
     *
     * @param embeddings (N, 2k) raw embeddings at the last token
     * @param gateLogits (N, k) gate logits at the last prompt token, or null without gate
     */
    public record Outputs(NDArray embeddings, NDArray gateLogits) {}

    /**
     * Reads the head with one forward pass.
     *
     * @param model a model with {@link #modelHead()}
     * @param inputIds (N, T) token ids
     * @param attentionMask (N, T) mask
     * @param lastIndex (N) int64 last attended position of each row
     * @param responseMask (N, T) response mask (for the prompt end; ignored without gate)
     * @return the outputs, attached to the manager of {@code inputIds}
     */
    public Outputs read(
            DecoderModel model,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray lastIndex,
            NDArray responseMask) {
        ReadPositions.requireColumns(model, columns(), "PreferenceEmbeddingHead");
        long n = inputIds.getShape().get(0);
        NDArray rows = ReadPositions.rows(inputIds, n);
        if (!gated) {
            NDArray out = model.scoresAt(inputIds, attentionMask, rows, lastIndex);
            return new Outputs(out, null);
        }
        NDArray positions = lastIndex.concat(ReadPositions.promptEnd(responseMask));
        NDArray out = model.scoresAt(inputIds, attentionMask, rows.concat(rows), positions);
        return new Outputs(out.get("0:" + n + ", 0:" + 2 * k), out.get(n + ":, " + 2 * k + ":"));
    }
}
