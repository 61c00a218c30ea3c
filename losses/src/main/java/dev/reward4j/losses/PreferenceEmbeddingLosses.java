package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Preference-embedding objectives: the general preference model (GPM).
 *
 * <p><b>Model.</b> A response \( y \) to prompt \( x \) is represented by a vector \( e(x, y) \in
 * \mathbb{R}^{2k} \), normalised to unit length, \( v = e / \sqrt{\lVert e\rVert^2 + \epsilon} \)
 * with \( \epsilon = 10^{-12} \). The preference score is the skew-symmetric bilinear form
 *
 * <p>\( s(y_c, y_r \mid x) = \langle R(x)\, v_c, v_r \rangle = \sum_{l=0}^{k-1} \lambda_l(x)\,
 * (v_{c,2l}\, v_{r,2l+1} - v_{c,2l+1}\, v_{r,2l}) \),
 *
 * <p>where \( R(x) \) is block-diagonal with 2x2 blocks \( \lambda_l(x)\,[[0, -1], [1, 0]] \) and
 * the eigenvalue scale gate \( \lambda(x) = k\,\mathrm{softmax}(g(x)) \) is non-negative with mean
 * 1 (constant 1 without gate logits; for k = 1 it is always 1). Since \( s(a, b) = -s(b, a) \) and
 * \( s(a, a) = 0 \), \( P(a \succ b) = \sigma(s(a, b)/\tau) \) is a consistent preference
 * probability that can be intransitive (e.g. rock-paper-scissors with three unit vectors 120
 * degrees apart).
 *
 * <p><b>Shapes.</b> Embeddings {@code (B, 2k)}, gate logits {@code (B, k)}, weights {@code (B)},
 * one dtype. Results are attached to the manager of {@code pair.chosen()}.
 *
 * <p><b>Numerics.</b> \( -\log\sigma(z) \) is {@code softplus(-z)}; the gate softmax subtracts the
 * row maximum.
 *
 * <p><b>References.</b> "General Preference Modeling with Preference Representations for Aligning
 * Language Models", arXiv 2410.02197 (the skew-symmetric score, the scale gate and the loss \(
 * -\log\sigma(s/\tau) \)).
 */
public final class PreferenceEmbeddingLosses {
    /** The \( \epsilon \) of the normalisation \( v = e / \sqrt{\lVert e\rVert^2 + \epsilon} \). */
    public static final double NORM_EPSILON = 1e-12;

    private PreferenceEmbeddingLosses() {}

    /**
     * GPM loss \( \ell_b = \mathrm{softplus}(-s_b/\tau) \) (see the class description).
     * Diagnostics: {@code probability} \( = \sigma(s/\tau) \).
     *
     * @param pair embeddings {@code (B, 2k)} and optional gate logits {@code (B, k)}
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PreferenceOutput generalPreference(
            EmbeddingPair pair,
            PreferenceEmbeddingObjective.GeneralPreference objective,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        NDArray z = preferenceScore(c, pair, weight).div(scalar(pair.chosen(), objective.tau()));
        return PreferenceOutput.of(
                Numerics.negLogSigmoid(z), Numerics.sigmoid(z), weight, reduction);
    }

    /**
     * The skew-symmetric preference score \( s(y_c, y_r \mid x) \) of each pair (see the class
     * description), differentiable in the embeddings and the gate logits.
     *
     * @param pair embeddings {@code (B, 2k)} and optional gate logits {@code (B, k)}
     * @return {@code (B)}, attached to the manager of {@code pair.chosen()}
     */
    public static NDArray preferenceScore(EmbeddingPair pair) {
        return preferenceScore("gpm", pair, null);
    }

    /**
     * Unit-length embeddings \( v = e / \sqrt{\lVert e\rVert^2 + \epsilon} \) row by row.
     *
     * @param embeddings {@code (N, D)}
     * @return {@code (N, D)}, attached to the manager of {@code embeddings}
     */
    public static NDArray normalize(NDArray embeddings) {
        NDArray norm =
                embeddings
                        .square()
                        .sum(new int[] {1}, true)
                        .add(scalar(embeddings, NORM_EPSILON))
                        .sqrt();
        return embeddings.div(norm);
    }

    private static NDArray preferenceScore(String c, EmbeddingPair pair, NDArray weight) {
        if (pair == null) {
            throw LossChecks.bad(c, "pair is missing", "null", "expected an EmbeddingPair");
        }
        LossChecks.floating(c, "pair.chosen", pair.chosen(), 2, "(B, 2k): one embedding per pair");
        Shape s = pair.chosen().getShape();
        if (s.get(1) % 2 != 0 || s.get(1) == 0) {
            throw LossChecks.bad(
                    c,
                    "pair.chosen has an odd or zero embedding width",
                    "shape " + s,
                    "expected (B, 2k) with k >= 1: the score pairs dimensions 2l and 2l+1");
        }
        LossChecks.floating(c, "pair.rejected", pair.rejected());
        LossChecks.sameShape(c, "pair.rejected", pair.rejected(), "pair.chosen", s);
        LossChecks.sameDtype(c, "pair.rejected", pair.rejected(), "pair.chosen", pair.chosen());
        long b = s.get(0);
        long k = s.get(1) / 2;
        LossChecks.optional(
                c,
                "pair.gateLogits",
                pair.gateLogits(),
                "(B, k)",
                new Shape(b, k),
                pair.chosen().getDataType());
        LossChecks.optional(
                c, "weight", weight, "pair.chosen rows", new Shape(b), pair.chosen().getDataType());
        NDArray vc = normalize(pair.chosen()).reshape(b, k, 2);
        NDArray vr = normalize(pair.rejected()).reshape(b, k, 2);
        // per block l: v_c[2l] v_r[2l+1] - v_c[2l+1] v_r[2l]
        NDArray blocks =
                vc.get(":, :, 0")
                        .mul(vr.get(":, :, 1"))
                        .sub(vc.get(":, :, 1").mul(vr.get(":, :, 0")));
        if (pair.gateLogits() == null) {
            return blocks.sum(new int[] {1});
        }
        NDArray gate = pair.gateLogits().softmax(1).mul(scalar(pair.chosen(), k));
        return blocks.mul(gate).sum(new int[] {1});
    }
}
