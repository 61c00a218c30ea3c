package dev.reward4j.trainers.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.util.Checks;

/**
 * The centered hidden embedding similarity (CHES) of preference pairs, from the policy's last
 * hidden states. With \( h_{x,y_{&lt;k}} \) the hidden state that predicts response token \( k \)
 * (the last prompt position predicts the first response token):
 *
 * <p>\( \mathrm{CHES}(x, y^+, y^-) = \langle \sum_{k=1}^{|y^+|} h_{x,y^+_{&lt;k}},
 * \sum_{k=1}^{|y^-|} h_{x,y^-_{&lt;k}} \rangle - \| \sum_{k=1}^{|y^+|} h_{x,y^+_{&lt;k}} \|^2 \)
 *
 * <p>and the length-normalised form with means instead of sums, \( \langle \bar h^+, \bar h^-
 * \rangle - \|\bar h^+\|^2 \). A high score means the two responses induce similar embeddings: such
 * pairs drive likelihood displacement (the chosen response's probability falls during DPO). Pairs
 * with identical hidden states score 0, which is the maximum whenever the rejected sum is no longer
 * than the chosen one (Cauchy-Schwarz: \( \langle a, b \rangle \le \|a\|\|b\| \le \|a\|^2 \)).
 *
 * <p>Reference: "Unintentional Unalignment: Likelihood Displacement in Direct Preference
 * Optimization", arXiv:2410.08847 (authors' {@code compute_ches_scores}).
 */
public final class Ches {
    private Ches() {}

    /**
     * CHES scores of B pairs stacked as a pair batch (chosen rows {@code [0, B)}, rejected rows
     * {@code [B, 2B)}).
     *
     * @param hidden (2B, T, H) last hidden states (detached)
     * @param responseMask (2B, T), 1 on response tokens
     * @return {@code [ches, lengthNormalized]}, each (B) float32, detached, attached to {@code
     *     hidden}'s manager; a response without tokens has length-normalised terms of 0
     */
    public static NDList scores(NDArray hidden, NDArray responseMask) {
        Shape h = hidden.getShape();
        Checks.argument(
                h.dimension() == 3
                        && responseMask.getShape().dimension() == 2
                        && h.get(0) == responseMask.getShape().get(0)
                        && h.get(1) == responseMask.getShape().get(1)
                        && h.get(0) % 2 == 0,
                () ->
                        "ches: hidden "
                                + h
                                + " and responseMask "
                                + responseMask.getShape()
                                + "; expected (2B, T, H) and (2B, T)");
        NDArray x = hidden.stopGradient().toType(DataType.FLOAT32, false);
        NDArray m = responseMask.toType(DataType.FLOAT32, false);
        // position t predicts token t + 1: shift the response mask one position to the left
        long n = h.get(0);
        NDArray predicting =
                m.get(new NDIndex(":, 1:"))
                        .concat(m.getManager().zeros(new Shape(n, 1), DataType.FLOAT32), 1);
        NDArray sums = x.mul(predicting.expandDims(2)).sum(new int[] {1}); // (2B, H)
        // clip takes its bounds as scalars (no host-to-device copy, unlike maximum(Number))
        NDArray counts = predicting.sum(new int[] {1}).clip(1, Float.MAX_VALUE).expandDims(1);
        NDList s = RowBlocks.halves(sums);
        NDList mean = RowBlocks.halves(sums.div(counts));
        return new NDList(similarity(s.get(0), s.get(1)), similarity(mean.get(0), mean.get(1)));
    }

    /** \( \langle a, b \rangle - \|a\|^2 \) per row. */
    private static NDArray similarity(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {1}).sub(a.mul(a).sum(new int[] {1}));
    }

    /**
     * CHES of one pair from host vectors (for tests and small tools): {@code chosen} and {@code
     * rejected} are the summed (or mean) hidden states.
     */
    public static double score(double[] chosen, double[] rejected) {
        Checks.argument(
                chosen.length == rejected.length,
                () ->
                        "ches: chosen has "
                                + chosen.length
                                + " dimensions, rejected "
                                + rejected.length
                                + "; expected equal");
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < chosen.length; i++) {
            dot += chosen[i] * rejected[i];
            norm += chosen[i] * chosen[i];
        }
        return dot - norm;
    }
}
