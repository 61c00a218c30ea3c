package dev.reward4j.trainers.app.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.trainers.eval.HeldOutEvaluator;
import dev.reward4j.trainers.eval.HeldOutResult;
import java.util.List;

/**
 * Scores held-out pairs with the reward model (no gradients) and evaluates them with {@link
 * HeldOutEvaluator}.
 */
final class HeldOutScores {
    private final DecoderModel model;
    private final List<TokenizedPair> pairs;
    private final PairCollator collator;
    private final int batchPairs;

    HeldOutScores(
            DecoderModel model, List<TokenizedPair> pairs, PairCollator collator, int batchPairs) {
        this.model = model;
        this.pairs = List.copyOf(pairs);
        this.collator = collator;
        this.batchPairs = batchPairs;
    }

    /** Scores every pair (in batches, each in its own sub-manager) and evaluates the scores. */
    HeldOutResult evaluate() {
        int n = pairs.size();
        double[] chosen = new double[n];
        double[] rejected = new double[n];
        for (int start = 0; start < n; start += batchPairs) {
            int end = Math.min(n, start + batchPairs);
            try (NDManager step = model.manager().newSubManager();
                    PairBatch batch = collator.collate(pairs.subList(start, end), step)) {
                NDArray scores =
                        model.scores(batch.inputIds(), batch.attentionMask()); // (2B, 1) on `step`
                float[] s = scores.toFloatArray();
                int b = end - start;
                for (int i = 0; i < b; i++) {
                    chosen[start + i] = s[i];
                    rejected[start + i] = s[b + i];
                }
            }
        }
        return HeldOutEvaluator.evaluate(chosen, rejected);
    }
}
