package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import dev.reward4j.core.util.Checks;
import java.util.Collection;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: with \( n = \lVert (g_1, \dots, g_k)
 * \rVert_2 \) over all gradients, every gradient is multiplied by \( \min(1, c / (n + 10^{-6})) \). DJL's own
 * {@code optClipGrad} is element-wise and one-sided, so it is never used.
 *
 * <p>The same pass also divides the gradients by a loss scale (float16 training), so unscaling and clipping cost one
 * multiplication per gradient. Every {@code getGradient()} handle is closed.
 *
 * @param maxNorm the threshold \( c \); {@code Double.POSITIVE_INFINITY} measures the norm without clipping
 */
public record GlobalNormClip(double maxNorm) {

  /** Validates {@code maxNorm > 0}. */
  public GlobalNormClip {
    Checks.argument(maxNorm > 0, () -> "clip: max_grad_norm must be > 0 (got " + maxNorm + "); use Infinity to disable clipping");
  }

  /** A clip that only measures the norm. */
  public static GlobalNormClip none() {
    return new GlobalNormClip(Double.POSITIVE_INFINITY);
  }

  /**
   * Unscales the gradients of {@code params} by {@code 1 / lossScale}, measures their global norm and clips them.
   *
   * @param params parameters whose gradients are modified in place (parameters without gradient are ignored)
   * @param lossScale the factor the loss was multiplied by before backward (1 without loss scaling)
   * @return the global norm of the unscaled gradients before clipping; NaN or infinite when a gradient is not finite
   *     (the gradients are then left untouched)
   */
  public double apply(Collection<NDArray> params, double lossScale) {
    Checks.argument(lossScale > 0 && Double.isFinite(lossScale), () -> "clip: loss scale must be finite and > 0 (got " + lossScale + ")");
    return Gradients.withGradModeOff(
        () -> {
          try (NDScope ignored = new NDScope()) {
            NDList squares = new NDList();
            for (NDArray p : params) {
              if (p.hasGradient()) {
                NDArray g = p.getGradient();
                squares.add(g.square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false));
              }
            }
            if (squares.isEmpty()) {
              return 0.0;
            }
            double rawNorm = Math.sqrt(NDArrays.stack(squares).sum().getDouble());
            double norm = rawNorm / lossScale;
            if (!Double.isFinite(norm)) {
              return norm;
            }
            double factor = Math.min(1.0, maxNorm / (norm + 1e-6)) / lossScale;
            if (factor != 1.0) {
              for (NDArray p : params) {
                if (p.hasGradient()) {
                  p.getGradient().muli(factor);
                }
              }
            }
            return norm;
          }
        });
  }
}
