package dev.reward4j.core.synth;

/**
 * A response rated on several attributes ({@link Judgement#ATTRIBUTES}) with its ground truth.
 *
 * @param id stable id
 * @param task task name
 * @param prompt prompt text
 * @param response response text
 * @param ratings noisy integer ratings in {@code [0, 4]} (0 where absent)
 * @param present which attributes are rated
 * @param truth the ground-truth judgement
 */
public record SynthRated(
    String id, String task, String prompt, String response, double[] ratings, boolean[] present, Judgement truth) {
  /** Copies the arrays. */
  public SynthRated {
    ratings = ratings.clone();
    present = present.clone();
  }

  @Override
  public double[] ratings() {
    return ratings.clone();
  }

  @Override
  public boolean[] present() {
    return present.clone();
  }
}
