package dev.reward4j.losses;

/**
 * How the chosen-response NLL term of {@link PairwisePolicyObjective.WithChosenNll} is normalised
 * over tokens.
 */
public enum NllNormalization {
    /**
     * Per example: \( \mathrm{nll}_b = -\log\pi_\theta(y_{c,b}|x_b) / \max(n_{c,b}, 1) \) (token
     * mean within each chosen response), then the objective's {@link Reduction} over examples.
     */
    EXAMPLE_TOKEN_MEAN,
    /**
     * TRL's CPO/ORPO convention (a token-level cross-entropy mean over the whole chosen batch): \(
     * \mathrm{nll}_b = -B \log\pi_\theta(y_{c,b}|x_b) / \max(\sum_{b'} n_{c,b'}, 1) \), so that an
     * unweighted {@link Reduction#MEAN} over the batch equals \( -\sum_b \log\pi_\theta(y_{c,b}) /
     * \sum_b n_{c,b} \).
     */
    BATCH_TOKEN_MEAN
}
