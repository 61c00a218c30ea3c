package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.util.Checks;
import java.util.Collection;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: with \( n = \lVert (g_1,
 * \dots, g_k) \rVert_2 \) over all gradients, every gradient is multiplied by \( \min(1, c / (n +
 * 10^{-6})) \). DJL's own {@code optClipGrad} is element-wise and one-sided, so it is never used.
 *
 * <p>The gradients are measured after division by the loss scale (float16 training, and the loop's
 * division by the step's units); the optimizer applies the returned multiplier in float32, so
 * float16 gradients are never unscaled in float16. Every {@code getGradient()} handle is closed.
 *
 * @param maxNorm the threshold \( c \); {@code Double.POSITIVE_INFINITY} measures the norm without
 *     clipping
 */
public record GlobalNormClip(double maxNorm) {

    /** Validates {@code maxNorm > 0}. */
    public GlobalNormClip {
        Checks.argument(
                maxNorm > 0,
                () ->
                        "clip: max_grad_norm must be > 0 (got "
                                + maxNorm
                                + "); use Infinity to disable clipping");
    }

    /** A clip that only measures the norm. */
    public static GlobalNormClip none() {
        return new GlobalNormClip(Double.POSITIVE_INFINITY);
    }

    /**
     * The measured norm and the factor the optimizer applies to the raw gradients.
     *
     * @param norm global norm of the unscaled gradients before clipping (NaN or infinite when a
     *     gradient is not finite)
     * @param gradMultiplier {@code (1 / lossScale) * min(1, maxNorm / (norm + 1e-6))}; NaN when the
     *     norm is not finite
     */
    public record Result(double norm, double gradMultiplier) {}

    /**
     * Measures the global norm of the gradients of {@code params} divided by {@code lossScale} (in
     * float32, whatever the gradient dtype, one parameter at a time so that no square overflows and
     * temporaries stay small) and returns the multiplier that unscales and clips them. Gradients
     * are not modified.
     *
     * @param params parameters (those without gradient are ignored)
     * @param lossScale the factor the loss was multiplied by before backward, times any
     *     normalisation still to apply
     */
    public Result apply(Collection<NDArray> params, double lossScale) {
        checkScale(lossScale);
        return Gradients.withGradModeOff(
                () -> {
                    NDManager tmp = firstManager(params);
                    if (tmp == null) {
                        return fromSumOfSquares(-1, lossScale, lossScale);
                    }
                    try (tmp) {
                        NDArray sum = GradientNorm.perParameter(params, 1.0 / lossScale, tmp);
                        return fromSumOfSquares(
                                sum == null ? -1 : sum.getDouble(), lossScale, lossScale);
                    }
                });
    }

    /**
     * The result for gradients measured as {@code sumOfSquares} = \( \sum (g / d)^2 \) (see {@link
     * GradientNorm}), where the raw gradients {@code g} still carry the factor {@code lossScale}
     * and {@code d = measuredScale} was already divided out.
     *
     * @param sumOfSquares the measured sum, or a negative value when no parameter had a gradient
     *     (norm 0); NaN or infinite when a gradient is not finite
     * @param measuredScale the divisor {@code d} applied before squaring (&gt; 0)
     * @param lossScale the factor the loss was multiplied by before backward, times any
     *     normalisation still to apply
     */
    public Result fromSumOfSquares(double sumOfSquares, double measuredScale, double lossScale) {
        checkScale(lossScale);
        checkScale(measuredScale);
        double inv = 1.0 / lossScale;
        if (sumOfSquares < 0) {
            return new Result(0.0, inv);
        }
        double norm = Math.sqrt(sumOfSquares) * (measuredScale / lossScale);
        if (!Double.isFinite(norm)) {
            return new Result(norm, Double.NaN);
        }
        return new Result(norm, inv * Math.min(1.0, maxNorm / (norm + 1e-6)));
    }

    private static void checkScale(double lossScale) {
        Checks.argument(
                lossScale > 0 && Double.isFinite(lossScale),
                () -> "clip: loss scale must be finite and > 0 (got " + lossScale + ")");
    }

    private static NDManager firstManager(Collection<NDArray> params) {
        for (NDArray p : params) {
            return p.getManager().newSubManager();
        }
        return null;
    }
}
