package dev.reward4j.trainers.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.util.Checks;

/**
 * The idealized ranking accuracy: whether the policy that optimises the DPO (or RLHF) objective
 * perfectly would rank a pair correctly. That policy satisfies \( \frac{\pi^*(y_w \mid
 * x)}{\pi^*(y_l \mid x)} = \frac{\pi_{ref}(y_w \mid x)}{\pi_{ref}(y_l \mid x)}
 * \left(\frac{\alpha}{1 - \alpha}\right)^{1/\beta} \) with \( \alpha = P(y_w \succ y_l \mid x) \),
 * so it ranks the pair correctly iff
 *
 * <p>\( \log\pi_{ref}(y_w \mid x) - \log\pi_{ref}(y_l \mid x) + \frac{1}{\beta}\log\frac{\alpha}{1
 * - \alpha} &gt; 0 \)
 *
 * <p>(summed response log-probabilities; strict, as the ranking accuracy). The gap between this and
 * the policy's own ranking accuracy is the alignment gap.
 *
 * <p>Reference: "Preference Learning Algorithms Do Not Learn Preference Rankings", arXiv:2405.19534
 * (Theorem 3.1; authors' {@code rlhf_minimizer_client.py}).
 */
public final class IdealizedRanking {
    private IdealizedRanking() {}

    /**
     * Per pair: 1 when the ideal policy ranks the chosen response first, else 0 (device ops only,
     * no host copies).
     *
     * @param referenceChosen (B) summed reference log-probs of the chosen responses
     * @param referenceRejected (B) of the rejected responses
     * @param logOdds (B) log-odds \( \log\frac{\alpha}{1-\alpha} \) of the preference probabilities
     *     ({@link PreferenceProbability#logOdds})
     * @param beta the KL coefficient, {@code > 0}
     * @return (B) float32 0/1, detached, attached to {@code referenceChosen}'s manager
     */
    public static NDArray correct(
            NDArray referenceChosen, NDArray referenceRejected, NDArray logOdds, double beta) {
        Checks.argument(
                beta > 0 && Double.isFinite(beta),
                () -> "idealized ranking: beta (" + beta + ") must be finite and > 0");
        NDArray margin =
                referenceChosen
                        .stopGradient()
                        .sub(referenceRejected.stopGradient())
                        .toType(DataType.FLOAT32, false);
        NDArray scale =
                margin.getManager().full(margin.getShape(), (float) (1 / beta), DataType.FLOAT32);
        NDArray score = margin.add(logOdds.toType(DataType.FLOAT32, false).mul(scale));
        return score.gt(score.zerosLike()).toType(DataType.FLOAT32, false);
    }

    /** The same rule on host values. */
    public static boolean correct(
            double referenceChosen, double referenceRejected, double alpha, double beta) {
        Checks.argument(
                alpha > 0 && alpha < 1 && beta > 0,
                () ->
                        "idealized ranking: alpha ("
                                + alpha
                                + ") must be in (0, 1) and beta ("
                                + beta
                                + ") > 0");
        return referenceChosen - referenceRejected + Math.log(alpha / (1 - alpha)) / beta > 0;
    }
}
