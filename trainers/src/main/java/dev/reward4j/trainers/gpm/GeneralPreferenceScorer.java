package dev.reward4j.trainers.gpm;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.EmbeddingPair;
import dev.reward4j.losses.PreferenceEmbeddingLosses;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;

/**
 * Scores with a trained general preference model. A GPM has no scalar reward: what it gives is the
 * probability that one response is preferred over another, \( P(a \succ b \mid x) = \sigma(s(a, b
 * \mid x)/\tau) \), consistent ({@code P(a, b) + P(b, a) = 1}) but possibly intransitive. For
 * {@code k = 1} (two-dimensional embeddings, no gate) the score against a fixed reference direction
 * \( u \) is a scalar projection \( r(y) = s(y, u) = v_{y,0} u_1 - v_{y,1} u_0 \), usable where a
 * scalar reward is required (e.g. best-of-n against one reference); it orders responses
 * consistently with the model only within a half-plane around \( u \).
 *
 * <p>All methods run with grad mode off and return host arrays.
 */
public final class GeneralPreferenceScorer {
    private final DecoderModel model;
    private final PreferenceEmbeddingHead head;
    private final double tau;

    /**
     * Creates the scorer.
     *
     * @param model the trained model
     * @param head its head layout
     * @param tau the loss temperature the model was trained with
     */
    public GeneralPreferenceScorer(DecoderModel model, PreferenceEmbeddingHead head, double tau) {
        Checks.argument(tau > 0, () -> "GeneralPreferenceScorer: tau (" + tau + "); expected > 0");
        this.model = model;
        this.head = head;
        this.tau = tau;
    }

    /**
     * \( P(a \succ b \mid x) \) of every pair of the batch, with a = the chosen rows and b = the
     * rejected rows.
     *
     * @param batch the pairs
     * @return {@code (B)} probabilities
     */
    public double[] preferenceProbability(PairBatch batch) {
        return Gradients.withGradModeOff(
                () -> {
                    EmbeddingPair e = GeneralPreferenceStep.embeddings(model, head, batch);
                    NDArray s = PreferenceEmbeddingLosses.preferenceScore(e);
                    double[] z = HostArrays.of(s);
                    for (int i = 0; i < z.length; i++) {
                        z[i] = 1 / (1 + Math.exp(-z[i] / tau));
                    }
                    return z;
                });
    }

    /**
     * Unit-length preference embeddings of the batch rows (chosen rows, then rejected rows).
     *
     * @param batch the pairs
     * @return {@code (2B)} rows of {@code 2k} values
     */
    public double[][] embeddings(PairBatch batch) {
        return Gradients.withGradModeOff(
                () -> {
                    EmbeddingPair e = GeneralPreferenceStep.embeddings(model, head, batch);
                    NDArray v =
                            PreferenceEmbeddingLosses.normalize(e.chosen().concat(e.rejected()));
                    int d = 2 * head.k();
                    double[] flat = HostArrays.of(v);
                    double[][] rows = new double[flat.length / d][d];
                    for (int i = 0; i < rows.length; i++) {
                        System.arraycopy(flat, i * d, rows[i], 0, d);
                    }
                    return rows;
                });
    }

    /**
     * The scalar projection \( r(y) = s(y, u) \) of every row of the batch (chosen rows, then
     * rejected rows), for {@code k = 1} without gate.
     *
     * @param batch the pairs
     * @param reference the reference direction \( u \) (two values, not both 0; normalised here)
     * @return {@code (2B)} scalar rewards in {@code [-1, 1]}
     */
    public double[] scalarProjection(PairBatch batch, double[] reference) {
        Checks.argument(
                head.k() == 1 && !head.gated(),
                () ->
                        "GeneralPreferenceScorer.scalarProjection: head "
                                + head
                                + "; expected k = 1 without gate (a scalar projection exists only"
                                + " for two-dimensional embeddings)");
        Checks.argument(
                reference.length == 2 && Math.hypot(reference[0], reference[1]) > 0,
                "GeneralPreferenceScorer.scalarProjection: reference must be two values, not both"
                        + " 0");
        double norm = Math.hypot(reference[0], reference[1]);
        double u0 = reference[0] / norm;
        double u1 = reference[1] / norm;
        double[][] v = embeddings(batch);
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i][0] * u1 - v[i][1] * u0;
        }
        return r;
    }
}
