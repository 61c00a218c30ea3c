package dev.reward4j.trainers.pluralistic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.IdealPointLosses;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.losses.IdealPointPair;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;

/**
 * Scores with a trained PAL-A model: the probability that a user prefers the chosen response, \(
 * \sigma((\lVert f_r - a_u\rVert^2 - \lVert f_c - a_u\rVert^2)/\tau) \), for known users or for a
 * new user's fitted logits, and a user's ideal point. All methods run with grad mode off.
 */
public final class IdealPointScorer {
    private final DecoderModel model;
    private final ScalarHeads embedding;
    private final IdealPointParameters params;
    private final PalA loss;

    /**
     * Creates the scorer.
     *
     * @param model the embedding model
     * @param embedding its layout
     * @param params prototypes and user logits
     * @param loss the loss (its temperature)
     */
    public IdealPointScorer(
            DecoderModel model, ScalarHeads embedding, IdealPointParameters params, PalA loss) {
        this.model = model;
        this.embedding = embedding;
        this.params = params;
        this.loss = loss;
    }

    /**
     * Probabilities for the pairs' known users.
     *
     * @param batch pairs with users
     * @return {@code (B)} probabilities
     */
    public double[] probability(UserPairBatch batch) {
        return Gradients.withGradModeOff(
                () -> probability(batch.pairs(), params.users().rows(batch.userRows())));
    }

    /**
     * Probabilities for one user given its simplex logits (a new user fitted by {@link
     * FewShotFit#idealPointLogits}).
     *
     * @param batch the user's pairs
     * @param userLogits the user's K logits
     * @return {@code (B)} probabilities
     */
    public double[] probability(PairBatch batch, double[] userLogits) {
        return Gradients.withGradModeOff(
                () -> {
                    float[] f = new float[userLogits.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) userLogits[i];
                    }
                    NDArray row = batch.inputIds().getManager().create(f, new Shape(1, f.length));
                    return probability(batch, row.broadcast(new Shape(batch.pairs(), f.length)));
                });
    }

    /**
     * The ideal point of simplex logits.
     *
     * @param userLogits K logits
     * @return the D coordinates
     */
    public double[] idealPoint(double[] userLogits) {
        return Gradients.withGradModeOff(
                () -> {
                    float[] f = new float[userLogits.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) userLogits[i];
                    }
                    NDArray row =
                            params.prototypes().getManager().create(f, new Shape(1, f.length));
                    NDArray a = IdealPointLosses.idealPoints(params.prototypes(), row);
                    double[] out = HostArrays.of(a);
                    row.close();
                    a.close();
                    return out;
                });
    }

    private double[] probability(PairBatch batch, NDArray userLogits) {
        NDArray[] f = IdealPointPairsStep.embeddings(model, embedding, batch);
        return HostArrays.of(
                loss.apply(
                                new IdealPointPair(f[0], f[1], params.prototypes(), userLogits),
                                null,
                                Reduction.NONE)
                        .probability());
    }
}
