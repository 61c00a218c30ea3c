package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;

/**
 * How per-example losses are combined into the returned loss.
 *
 * <p>With per-example losses \( \ell_b \) and example weights \( w_b \ge 0 \) (all ones when no
 * weight is given; a 0/1 mask is a weight):
 *
 * <ul>
 *   <li>{@link #NONE}: the weighted per-example losses \( w_b \ell_b \), shape {@code (B)} (or the
 *       element shape for element-wise losses);
 *   <li>{@link #SUM}: \( \sum_b w_b \ell_b \), a scalar;
 *   <li>{@link #MEAN}: \( \sum_b w_b \ell_b / \sum_b w_b \), a scalar, defined as 0 (with zero
 *       gradient) when \( \sum_b w_b = 0 \).
 * </ul>
 *
 * <p>Contract: {@code sum(NONE) == SUM}. The mean divides by {@code count + [count == 0]}, a
 * constant, so a fully masked batch never produces {@code 0/0} or {@code 0 * NaN} in backward.
 */
public enum Reduction {
    /** Keep the weighted per-example losses. */
    NONE,
    /** Weighted mean over examples; 0 when every weight is 0. */
    MEAN,
    /** Weighted sum over examples. */
    SUM;

    /**
     * Reduces {@code values} with optional {@code weights} of the same shape.
     *
     * @param values per-example (or per-element) losses
     * @param weights non-negative weights of the same shape, or {@code null} for all ones
     * @return the reduced loss, attached to the manager of {@code values}
     */
    NDArray reduce(NDArray values, NDArray weights) {
        NDArray weighted = weights == null ? values : values.mul(weights);
        switch (this) {
            case NONE:
                return weighted;
            case SUM:
                return weighted.sum();
            case MEAN:
                return weights == null
                        ? weighted.sum().div(scalar(values, Math.max(values.size(), 1L)))
                        : weighted.sum().div(Numerics.nonZero(weights.sum()));
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Reduces values that already carry their weights ({@code w_b l_b}): NONE keeps them, SUM adds
     * them, MEAN divides the sum by the weight total ({@code weights} null: by the element count).
     *
     * @param weighted weighted per-example losses
     * @param weights the weights they carry, or {@code null} for all ones
     * @return the reduced loss, attached to the manager of {@code weighted}
     */
    NDArray reduceWeighted(NDArray weighted, NDArray weights) {
        switch (this) {
            case NONE:
                return weighted;
            case SUM:
                return weighted.sum();
            case MEAN:
                return weights == null
                        ? weighted.sum().div(scalar(weighted, Math.max(weighted.size(), 1L)))
                        : weighted.sum().div(Numerics.nonZero(weights.stopGradient().sum()));
            default:
                throw new AssertionError(this);
        }
    }
}
