package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/** Package-private numerically stable building blocks shared by the loss families. */
final class Numerics {
  /**
   * The finite "minus infinity" used for additive masks (house rule: never {@code -Infinity}, which
   * turns into NaN through {@code 0 * inf} in backward).
   */
  static final double MASKED = -Float.MAX_VALUE;

  private Numerics() {}

  /** libtorch softplus (exact {@code log(1 + e^x)}, linear above 20). */
  static NDArray softPlus(NDArray x) {
    return Activation.softPlus(x);
  }

  /** Logistic sigmoid. */
  static NDArray sigmoid(NDArray x) {
    return Activation.sigmoid(x);
  }

  /** {@code max(x, 0)}. */
  static NDArray relu(NDArray x) {
    return Activation.relu(x);
  }

  /** \( \log\sigma(x) = -\mathrm{softplus}(-x) \). */
  static NDArray logSigmoid(NDArray x) {
    return softPlus(x.neg()).neg();
  }

  /** {@code -log sigmoid(x) = softplus(-x)}. */
  static NDArray negLogSigmoid(NDArray x) {
    return softPlus(x.neg());
  }

  /**
   * {@code count + [count == 0]}: a constant denominator that is never 0, so that {@code sum /
   * nonZero(count)} is 0 (not NaN) with zero gradient over an empty mask.
   */
  static NDArray nonZero(NDArray count) {
    NDArray c = count.stopGradient();
    return c.add(c.eq(0).toType(c.getDataType(), false));
  }

  /** {@code x / max(n, 1)} for non-negative counts n (constants). */
  static NDArray divByCount(NDArray x, NDArray count) {
    return x.div(count.stopGradient().maximum(1));
  }

  /** Converts a boolean/integer/float array to the floating dtype {@code like} (a constant). */
  static NDArray asFloat(NDArray a, DataType like) {
    return a.getDataType() == like ? a.stopGradient() : a.toType(like, false);
  }

  /**
   * Stable {@code log(1 - exp(x))} for {@code x < 0}, via {@code e^x - 1 = 2t/(1 - t)} with {@code
   * t = tanh(x/2)}: {@code log(-2t) - log(1 - t)}. Exact near 0 (no cancellation) and 0 for {@code
   * x -> -inf}.
   */
  static NDArray log1mExp(NDArray x) {
    NDArray t = x.div(2).tanh();
    return t.mul(-2).log().sub(t.neg().add(1).log());
  }

  /**
   * Masked log-sum-exp over the last axis: \( \log\sum_j M_j e^{x_j} \) with max subtraction and a
   * finite additive mask. Rows with no valid entry return a finite (meaningless) value that the
   * caller multiplies by 0.
   *
   * @param x values, any shape with last axis J
   * @param mask 0/1 constant of the same shape
   * @param axis the reduced axis (positive)
   */
  static NDArray maskedLogSumExp(NDArray x, NDArray mask, int axis) {
    NDArray z = x.add(mask.sub(1).mul(maskMagnitude(x.getDataType())));
    NDArray max = z.max(new int[] {axis}, true).stopGradient();
    return z.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
  }

  /** Magnitude of the finite additive mask for a dtype ({@code -Float.MAX_VALUE} style). */
  static double maskMagnitude(DataType dtype) {
    return dtype == DataType.FLOAT16 ? 65504.0 : -MASKED;
  }

  /** Largest exponent allowed in capped exponentials for the dtype (TRL's {@code cap_exp}). */
  static double expCap(DataType dtype) {
    return dtype == DataType.FLOAT64 ? 709.0 : (dtype == DataType.FLOAT16 ? 11.0 : 88.0);
  }

  /** {@code exp(min(x, cap))}. */
  static NDArray cappedExp(NDArray x) {
    return x.minimum(expCap(x.getDataType())).exp();
  }

  /** Detached 0/1 indicator {@code a > b} in the dtype of {@code a}. */
  static NDArray greater(NDArray a, NDArray b) {
    return a.stopGradient().gt(b.stopGradient()).toType(a.getDataType(), false);
  }
}
