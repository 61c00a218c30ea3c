package dev.reward4j.trainers.pluralistic;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.heads.UserTable;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.HeadPair;
import dev.reward4j.losses.MixtureObjective.MixtureBt;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;

/**
 * Scores with a trained mixture of BT heads: what such a model means is the mixture preference
 * probability \( P(y_c \succ y_r \mid x, u) = \sum_k w_k(x, u)\,\sigma(r_k(y_c) - r_k(y_r)) \)
 * (plus each head's own reward, {@link #headRewards}). All methods run with grad mode off.
 */
public final class MixtureScorer {
    private final DecoderModel model;
    private final MixtureHead head;
    private final UserTable routing;

    /**
     * Creates the scorer.
     *
     * @param model the trained model
     * @param head its layout
     * @param routing the per-user routing biases, or null for a prompt-routed mixture
     */
    public MixtureScorer(DecoderModel model, MixtureHead head, UserTable routing) {
        this.model = model;
        this.head = head;
        this.routing = routing;
    }

    /**
     * Mixture probabilities with the prompt router only (no user bias).
     *
     * @param batch the pairs
     * @return {@code (B)} probabilities that the chosen response is preferred
     */
    public double[] probability(PairBatch batch) {
        return Gradients.withGradModeOff(() -> probability(MixtureLoss.heads(model, head, batch)));
    }

    /**
     * Mixture probabilities of known users (prompt router plus each pair's user bias).
     *
     * @param batch the pairs with their users
     * @return {@code (B)} probabilities
     */
    public double[] probability(UserPairBatch batch) {
        if (routing == null) {
            return probability(batch.pairs());
        }
        return Gradients.withGradModeOff(
                () -> probability(new UserRoutedMixtureStep(model, head, routing).heads(batch)));
    }

    /**
     * Mixture probabilities of one (new) user with a routing bias from {@link
     * FewShotFit#routingBias}.
     *
     * @param batch the user's pairs
     * @param bias the user's K routing biases
     * @return {@code (B)} probabilities
     */
    public double[] probability(PairBatch batch, double[] bias) {
        return Gradients.withGradModeOff(
                () -> {
                    HeadPair p = MixtureLoss.heads(model, head, batch);
                    NDArray b = p.routerLogits().getManager().create(toFloat(bias));
                    return probability(p.withRouterLogits(p.routerLogits().add(b)));
                });
    }

    /**
     * The K heads' rewards of every row (chosen rows, then rejected rows).
     *
     * @param batch the pairs
     * @return {@code [row][head]}
     */
    public double[][] headRewards(PairBatch batch) {
        return Gradients.withGradModeOff(
                () -> {
                    HeadPair p = MixtureLoss.heads(model, head, batch);
                    double[] c = HostArrays.of(p.chosen().concat(p.rejected()));
                    int k = head.heads();
                    double[][] out = new double[c.length / k][k];
                    for (int i = 0; i < out.length; i++) {
                        System.arraycopy(c, i * k, out[i], 0, k);
                    }
                    return out;
                });
    }

    private static double[] probability(HeadPair p) {
        return HostArrays.of(new MixtureBt().apply(p, null, Reduction.NONE).probability());
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
