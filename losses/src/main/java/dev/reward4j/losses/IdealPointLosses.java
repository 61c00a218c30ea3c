package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Ideal-point preference objectives (PAL).
 *
 * <p><b>Model.</b> A shared map \( f(x, y) \in \mathbb{R}^D \) embeds responses; K prototypes \( P
 * \in \mathbb{R}^{K \times D} \) are shared by the population; user \( u \) has weights \( w_u =
 * \mathrm{softmax}(u) \) on the simplex and the ideal point \( a_u = w_u^\top P \). The user
 * prefers the response closer to its ideal point: \( P(y_c \succ y_r \mid u) = \sigma((\lVert f_r -
 * a_u\rVert^2 - \lVert f_c - a_u\rVert^2)/\tau) \). A new user is personalised by fitting only \( u
 * \) on a few of its comparisons, with \( f \) and \( P \) frozen.
 *
 * <p><b>Shapes.</b> Embeddings {@code (B, D)}, prototypes {@code (K, D)}, user logits {@code (B,
 * K)} (row b = the user of pair b), weights {@code (B)}, one dtype. Results are attached to the
 * manager of {@code pair.chosen()}.
 *
 * <p><b>Numerics.</b> \( -\log\sigma(z) \) is {@code softplus(-z)}.
 *
 * <p><b>References.</b> "PAL: Pluralistic Alignment Framework for Learning from Heterogeneous
 * Preferences", arXiv 2406.08469 (PAL-A, the ideal-point model with a mixture of prototypes).
 */
public final class IdealPointLosses {
    private IdealPointLosses() {}

    /**
     * PAL-A loss \( \ell_b = \mathrm{softplus}(-z_b) \), \( z_b = (\lVert f_{r,b} - a_b\rVert^2 -
     * \lVert f_{c,b} - a_b\rVert^2)/\tau \), \( a_b = \mathrm{softmax}(u_b)^\top P \). Diagnostics:
     * {@code probability} \( = \sigma(z) \).
     *
     * @param pair embeddings {@code (B, D)}, prototypes {@code (K, D)}, user logits {@code (B, K)}
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PreferenceOutput palA(
            IdealPointPair pair,
            IdealPointObjective.PalA objective,
            NDArray weight,
            Reduction reduction) {
        NDArray z =
                logit(objective.name(), pair, weight).div(scalar(pair.chosen(), objective.tau()));
        return PreferenceOutput.of(
                Numerics.negLogSigmoid(z), Numerics.sigmoid(z), weight, reduction);
    }

    /**
     * The users' ideal points \( a = \mathrm{softmax}(u)\,P \).
     *
     * @param prototypes {@code (K, D)}
     * @param userLogits {@code (N, K)}
     * @return {@code (N, D)}, attached to the manager of {@code userLogits}
     */
    public static NDArray idealPoints(NDArray prototypes, NDArray userLogits) {
        return userLogits.softmax(1).matMul(prototypes);
    }

    /** \( \lVert f_r - a\rVert^2 - \lVert f_c - a\rVert^2 \) per pair, after validation. */
    private static NDArray logit(String c, IdealPointPair pair, NDArray weight) {
        if (pair == null) {
            throw LossChecks.bad(c, "pair is missing", "null", "expected an IdealPointPair");
        }
        LossChecks.floating(c, "pair.chosen", pair.chosen(), 2, "(B, D): one embedding per pair");
        Shape s = pair.chosen().getShape();
        LossChecks.floating(c, "pair.rejected", pair.rejected());
        LossChecks.sameShape(c, "pair.rejected", pair.rejected(), "pair.chosen", s);
        LossChecks.sameDtype(c, "pair.rejected", pair.rejected(), "pair.chosen", pair.chosen());
        LossChecks.floating(c, "pair.prototypes", pair.prototypes(), 2, "(K, D)");
        LossChecks.sameDtype(c, "pair.prototypes", pair.prototypes(), "pair.chosen", pair.chosen());
        long k = pair.prototypes().getShape().get(0);
        if (pair.prototypes().getShape().get(1) != s.get(1)) {
            throw LossChecks.bad(
                    c,
                    "pair.prototypes has another embedding width than pair.chosen",
                    "shape " + pair.prototypes().getShape(),
                    "expected (K, " + s.get(1) + ")");
        }
        LossChecks.floating(c, "pair.userLogits", pair.userLogits());
        LossChecks.sameShape(
                c, "pair.userLogits", pair.userLogits(), "(B, K)", new Shape(s.get(0), k));
        LossChecks.sameDtype(c, "pair.userLogits", pair.userLogits(), "pair.chosen", pair.chosen());
        LossChecks.optional(
                c,
                "weight",
                weight,
                "pair.chosen rows",
                new Shape(s.get(0)),
                pair.chosen().getDataType());
        NDArray ideal = idealPoints(pair.prototypes(), pair.userLogits());
        NDArray toChosen = pair.chosen().sub(ideal).square().sum(new int[] {1});
        NDArray toRejected = pair.rejected().sub(ideal).square().sum(new int[] {1});
        return toRejected.sub(toChosen);
    }
}
