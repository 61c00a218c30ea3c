package dev.reward4j.trainers.config;

import dev.reward4j.losses.TokenPreferenceObjective.SparsePo;
import java.util.Set;

/**
 * The keys of objective {@code sparse-po}: the loss's {@code beta} and where the token masks come
 * from, {@code reference} (the reference model's final-layer activations, constants) or {@code
 * learned} (a ReLU head on the policy's hidden states, trained with the policy and kept in every
 * checkpoint).
 *
 * @param beta the loss's beta, {@code > 0}
 * @param masks {@code reference} or {@code learned}
 */
public record SparsePoParams(double beta, String masks) {
    /** Validates the values. */
    public SparsePoParams {
        Require.positive(beta, "beta");
        Require.oneOf(masks, Set.of("reference", "learned"), "masks");
    }

    /** The loss's default beta, reference masks. */
    public static SparsePoParams defaults() {
        return new SparsePoParams(SparsePo.defaults().beta(), "reference");
    }

    /** The objective configuration. */
    public ObjectiveConfig.TokenPairs objective() {
        return new ObjectiveConfig.TokenPairs(new SparsePo(beta), masks.equals("learned"));
    }
}
