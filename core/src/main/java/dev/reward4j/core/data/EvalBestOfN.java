package dev.reward4j.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A RewardBench v2 best-of-N row: {@code chosen} holds the correct completions (1, or several for
 * {@code Ties}), {@code rejected} the incorrect ones. Every completion is scored alone as [user:
 * prompt, assistant: completion].
 *
 * @param id row id (v2 Ties ids are {@code ref:N} or {@code tied:N})
 * @param subset subset (Factuality, Precise IF, Math, Safety, Focus, Ties)
 * @param prompt the prompt
 * @param chosen the correct completions (>= 1)
 * @param rejected the incorrect completions (>= 1)
 * @param numCorrect number of correct completions; equals {@code chosen.size()}
 * @param source where the row came from
 */
public record EvalBestOfN(
        String id,
        String subset,
        Text prompt,
        List<Text> chosen,
        List<Text> rejected,
        int numCorrect,
        Source source) {
    /** Validates and copies the fields. */
    public EvalBestOfN {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subset, "subset");
        Objects.requireNonNull(prompt, "prompt");
        chosen = List.copyOf(chosen);
        rejected = List.copyOf(rejected);
        Objects.requireNonNull(source, "source");
        if (chosen.isEmpty() || rejected.isEmpty() || numCorrect != chosen.size()) {
            throw new IllegalArgumentException(
                    "EvalBestOfN: chosen="
                            + chosen.size()
                            + ", rejected="
                            + rejected.size()
                            + ", num_correct="
                            + numCorrect
                            + " at "
                            + source
                            + "; expected >= 1 of each and num_correct == chosen.size()");
        }
    }

    /** All completions, correct ones first (the v2 scorer's order). */
    public List<Text> completions() {
        java.util.ArrayList<Text> all = new java.util.ArrayList<>(chosen);
        all.addAll(rejected);
        return List.copyOf(all);
    }

    /**
     * As a {@link RankedList} over {@link #completions()} (correct first) with score 1 for correct
     * and 0 for incorrect completions, to tokenize and collate every completion with the training
     * path.
     */
    public RankedList toRankedList() {
        double[] scores = new double[chosen.size() + rejected.size()];
        java.util.Arrays.fill(scores, 0, chosen.size(), 1.0);
        return new RankedList(id, prompt, completions(), scores, source);
    }
}
