package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.util.Checks;
import java.util.List;
import java.util.Map;

/**
 * A {@link TextScorer} backed by a reward model: every request is encoded alone by a {@link
 * TextEncoder} (chat template when the tokenizer has one: {@code prompt messages + [assistant:
 * completion]}; otherwise plain prompt text followed by the completion), truncated from the
 * <b>left</b> to {@code maxLength} tokens (RewardBench's {@code truncation_side = "left"}),
 * <b>right</b>-padded with the pad id, and scored at the position the model's pooling gives ({@link
 * PaddedSequences}). Rows never interact, so scores do not depend on the batch size beyond float32
 * rounding.
 *
 * <p>Not reproduced from RewardBench: its "mask the first of a doubled BOS" quirk — {@link
 * TextEncoder} never doubles BOS in the first place.
 *
 * <p>Each call works in a sub-manager of {@code manager} that is closed before returning; nothing
 * stays attached.
 */
public final class ModelTextScorer implements TextScorer {
    private final RequestEncoder requests;
    private final ScoreForward model;
    private final NDManager manager;
    private final int label;

    /**
     * A scorer reading score column {@code label} (0 for a single-label reward model).
     *
     * @param encoder tokenizer and chat template
     * @param model the reward model's forward pass, e.g. {@code decoderModel::scores}
     * @param manager parent manager for per-batch arrays (on the model's device)
     * @param maxLength tokens kept per sequence (left truncation)
     * @param label score column of an (N, K) output
     */
    public ModelTextScorer(
            TextEncoder encoder, ScoreForward model, NDManager manager, int maxLength, int label) {
        Checks.argument(
                model != null && manager != null,
                "model scorer: model and manager must not be null");
        this.requests = new RequestEncoder(encoder, maxLength);
        this.model = model;
        this.manager = manager;
        Checks.argument(label >= 0, () -> "model scorer: label must be >= 0 (got " + label + ")");
        this.label = label;
    }

    /** Number of sequences truncated so far (reported in the run record). */
    public long truncatedCount() {
        return requests.truncatedCount();
    }

    /**
     * Run-record facts (tokenizer digest, template, truncation, padding, truncated count, score
     * column).
     */
    public Map<String, String> runInfo() {
        Map<String, String> m = requests.runInfo();
        m.put("scorer", "reward model, score column " + label);
        return m;
    }

    /** The token ids of one request before padding (left-truncated to {@code maxLength}). */
    public int[] encode(ScoringRequest request) {
        return requests.encode(request).ids();
    }

    @Override
    public double[] score(List<ScoringRequest> batch) {
        if (batch.isEmpty()) {
            return new double[0];
        }
        double[][] rows =
                PaddedSequences.scores(requests.encodeAll(batch), requests.padId(), model, manager);
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int width = rows[i].length;
            Checks.state(
                    label < width,
                    () ->
                            "model scorer: score column "
                                    + label
                                    + " requested but the model has "
                                    + width
                                    + " outputs");
            out[i] = rows[i][label];
        }
        return out;
    }
}
