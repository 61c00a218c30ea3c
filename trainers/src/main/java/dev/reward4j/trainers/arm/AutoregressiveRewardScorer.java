package dev.reward4j.trainers.arm;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;

/**
 * Scores with a trained autoregressive reward model: the sequence reward \( r(x, y) = \beta_r
 * \log\pi_r(y \mid x) \), the next-token rewards \( \beta_r \log\pi_r(v \mid x, y_{&lt;t}) \) of a
 * partial response for every vocabulary token v, and GenARM's guided next-token distribution \(
 * \log\pi_{base}(v) + \frac{1}{\beta}\,\beta_r \log\pi_r(v) \) (renormalised) for decoding a base
 * model toward the reward with KL strength \( \beta \). All methods run with grad mode off.
 */
public final class AutoregressiveRewardScorer {
    private final DecoderModel model;
    private final double betaR;

    /**
     * Creates the scorer.
     *
     * @param model the reward LM
     * @param betaR the \( \beta_r \) it was trained with
     */
    public AutoregressiveRewardScorer(DecoderModel model, double betaR) {
        Checks.argument(
                betaR > 0, () -> "AutoregressiveRewardScorer: betaR (" + betaR + "); expected > 0");
        this.model = model;
        this.betaR = betaR;
    }

    /**
     * Sequence rewards of every row of a pair batch (chosen rows, then rejected rows).
     *
     * @param batch the pairs
     * @return {@code (2B)} rewards
     */
    public double[] sequenceRewards(PairBatch batch) {
        return Gradients.withGradModeOff(
                () -> {
                    double[] r =
                            HostArrays.of(
                                    AutoregressiveRewardPairsStep.sequenceLogps(model, batch));
                    for (int i = 0; i < r.length; i++) {
                        r[i] *= betaR;
                    }
                    return r;
                });
    }

    /**
     * Next-token rewards after each prefix (the last attended token of each row).
     *
     * @param inputIds (N, T) prefixes (prompt plus the partial response)
     * @param attentionMask (N, T) mask
     * @return {@code [row][token]} rewards \( \beta_r \log\pi_r(v \mid \text{prefix}) \)
     */
    public double[][] nextTokenRewards(NDArray inputIds, NDArray attentionMask) {
        return Gradients.withGradModeOff(
                () -> {
                    double[] flat = HostArrays.of(model.nextTokenLogps(inputIds, attentionMask));
                    int v = model.config().vocabSize();
                    double[][] out = new double[flat.length / v][v];
                    for (int i = 0; i < out.length; i++) {
                        for (int j = 0; j < v; j++) {
                            out[i][j] = betaR * flat[i * v + j];
                        }
                    }
                    return out;
                });
    }

    /**
     * GenARM's guided next-token log-distribution: \( \log\pi_{base}(v) + r_t(v)/\beta \),
     * normalised with log-sum-exp.
     *
     * @param baseLogps the base model's next-token log-probs over the vocabulary
     * @param nextTokenRewards this model's next-token rewards over the same vocabulary
     * @param beta KL strength \( \beta > 0 \) (smaller follows the reward more)
     * @return guided next-token log-probs
     */
    public static double[] guided(double[] baseLogps, double[] nextTokenRewards, double beta) {
        Checks.argument(
                baseLogps.length == nextTokenRewards.length && beta > 0,
                "AutoregressiveRewardScorer.guided: expected equal vocabulary sizes and beta > 0");
        double[] z = new double[baseLogps.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < z.length; i++) {
            z[i] = baseLogps[i] + nextTokenRewards[i] / beta;
            max = Math.max(max, z[i]);
        }
        double sum = 0;
        for (double x : z) {
            sum += Math.exp(x - max);
        }
        double log = max + Math.log(sum);
        for (int i = 0; i < z.length; i++) {
            z[i] -= log;
        }
        return z;
    }
}
