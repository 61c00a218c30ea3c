package dev.reward4j.trainers.eval;

import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.Moments;
import dev.reward4j.trainers.metrics.PairwiseMetrics;

/**
 * Evaluates a reward model on held-out pairs: strict accuracy, margin statistics, reward statistics and calibration
 * (ECE with {@link Calibration} equal-width bins).
 */
public final class HeldOutEvaluator {
  private HeldOutEvaluator() {}

  /** Evaluates already computed rewards (row i of both arrays = pair i). */
  public static HeldOutResult evaluate(double[] chosen, double[] rejected, int calibrationBins) {
    Calibration.Result cal = Calibration.of(chosen, rejected, calibrationBins);
    return new HeldOutResult(chosen.length, PairwiseMetrics.accuracy(chosen, rejected),
        PairwiseMetrics.marginStats(chosen, rejected), Moments.of(chosen), Moments.of(rejected),
        PairwiseMetrics.rewardStats(chosen, rejected), cal, chosen.clone(), rejected.clone());
  }

  /** {@link #evaluate(double[], double[], int)} with {@link Calibration#DEFAULT_BINS}. */
  public static HeldOutResult evaluate(double[] chosen, double[] rejected) {
    return evaluate(chosen, rejected, Calibration.DEFAULT_BINS);
  }
}
