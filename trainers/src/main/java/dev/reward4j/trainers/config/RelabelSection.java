package dev.reward4j.trainers.config;

import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.UltraFeedbackPairs.Pairing;
import dev.reward4j.core.transform.RewardAugmentation;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code relabel:} a transform of the preference pairs before tokenization. {@code type:
 * reward-augmented} is reward-augmented relabelling: every pair with the scores of its two
 * responses becomes a pair conditioned on the chosen score (same preference) and one conditioned on
 * the rejected score (reversed), see {@link RewardAugmentation}. The scores come from the row
 * fields {@code chosen_score} and {@code rejected_score} of a pair format
 * (UltraFeedback-binarized's {@code score_chosen} and {@code score_rejected} by default), or from
 * the responses' own scores of a ranked-list format ({@code ultrafeedback-ranked}, paired by {@code
 * pairing}). Applies to the training and the held-out file; only for the pairwise policy objectives
 * (checked by {@link RunConfig}).
 *
 * @param type {@code none} (default) or {@code reward-augmented}
 * @param template the goal text, containing {@code {score}}
 * @param chosenScore the row field of the chosen response's score (pair formats)
 * @param rejectedScore the row field of the rejected response's score (pair formats)
 * @param pairing list formats: {@code best-vs-rest} or {@code all-pairs}
 */
public record RelabelSection(
        String type, String template, String chosenScore, String rejectedScore, String pairing) {
    /** No relabelling. */
    public static final String NONE = "none";

    /** Reward-augmented relabelling. */
    public static final String REWARD_AUGMENTED = "reward-augmented";

    static final Set<String> TYPES = new TreeSet<>(Set.of(NONE, REWARD_AUGMENTED));

    /** Validates the values. */
    public RelabelSection {
        Require.oneOf(type, TYPES, "type");
        Require.present(template, "template", "give the goal text with {score}");
        if (!template.contains(RewardAugmentation.SCORE)) {
            throw new IllegalArgumentException(
                    "template: expected a text containing "
                            + RewardAugmentation.SCORE
                            + " (got '"
                            + template
                            + "')");
        }
        Require.present(chosenScore, "chosen_score", "name the chosen score's field");
        Require.present(rejectedScore, "rejected_score", "name the rejected score's field");
        Require.oneOf(pairing, CurriculumSection.PAIRINGS, "pairing");
    }

    /**
     * No relabelling; for {@code reward-augmented}: the authors' goal text, UltraFeedback-binarized
     * score fields, best versus rest for lists.
     */
    public static RelabelSection defaults() {
        RewardAugmentation ra = RewardAugmentation.defaults();
        return new RelabelSection(
                NONE,
                ra.template(),
                ra.chosenScoreField(),
                ra.rejectedScoreField(),
                "best-vs-rest");
    }

    /** True when pairs are relabelled. */
    public boolean enabled() {
        return !type.equals(NONE);
    }

    /** The transform. */
    public RewardAugmentation augmentation() {
        return new RewardAugmentation(template, chosenScore, rejectedScore);
    }

    /**
     * The pair reader of {@code format} (resolved, a pair or list format) with the relabelling
     * applied.
     */
    public Format<PreferencePair> on(DataFormat format) {
        if (format.kind() == ExampleKind.LISTS) {
            return augmentation()
                    .onLists(
                            format.lists(),
                            pairing.equals("all-pairs") ? Pairing.ALL_PAIRS : Pairing.BEST_VS_REST);
        }
        return augmentation().on(format.pairs());
    }
}
