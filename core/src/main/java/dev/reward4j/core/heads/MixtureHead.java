package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.util.Checks;

/**
 * The head of a mixture of K Bradley-Terry reward heads with a prompt router (MiCRo).
 *
 * <p><b>Column layout</b> of the score head ({@code num_labels = 2K}): columns {@code [0, K)} are
 * the K rewards read at the last token of each response; columns {@code [K, 2K)} are the router
 * logits read at the last prompt token (a function of the prompt only).
 *
 * @param heads number of reward heads K {@code >= 1}
 */
public record MixtureHead(int heads) {
    /**
     * Name of the per-user routing-bias table ({@link UserTable}) of a user-routed mixture, saved
     * next to the model as {@code mixture.user_bias.safetensors} and {@code
     * mixture.user_bias-users.json}.
     */
    public static final String USER_BIAS = "mixture.user_bias";

    /** Validates K. */
    public MixtureHead {
        Checks.argument(heads >= 1, () -> "MixtureHead: heads (" + heads + "); expected >= 1");
    }

    /** Number of score-head columns (2K). */
    public int columns() {
        return 2 * heads;
    }

    /** The model head to create or load the model with. */
    public ModelHead modelHead() {
        return ModelHead.reward(columns());
    }

    /**
     * Head outputs of every row.
     *
     * @param rewards (N, K) rewards of the K heads
     * @param routerLogits (N, K) router logits of the row's prompt
     */
    public record Outputs(NDArray rewards, NDArray routerLogits) {}

    /**
     * Reads the head with one forward pass.
     *
     * @param model a model with {@link #modelHead()}
     * @param inputIds (N, T) token ids
     * @param attentionMask (N, T) mask
     * @param lastIndex (N) int64 last attended position of each row
     * @param responseMask (N, T) response mask (for the prompt end)
     * @return the outputs, attached to the manager of {@code inputIds}
     */
    public Outputs read(
            DecoderModel model,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray lastIndex,
            NDArray responseMask) {
        ReadPositions.requireColumns(model, columns(), "MixtureHead");
        long n = inputIds.getShape().get(0);
        NDArray rows = ReadPositions.rows(inputIds, n);
        NDArray positions = lastIndex.concat(ReadPositions.promptEnd(responseMask));
        NDArray out = model.scoresAt(inputIds, attentionMask, rows.concat(rows), positions);
        return new Outputs(out.get("0:" + n + ", 0:" + heads), out.get(n + ":, " + heads + ":"));
    }
}
