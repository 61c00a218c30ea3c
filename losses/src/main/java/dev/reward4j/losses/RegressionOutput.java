package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Result of {@link RewardModelLosses#multiAttributeRegression}. Arrays are attached to the manager
 * of {@code predictions}; only {@link #loss()} carries gradient.
 *
 * @param loss reduced loss (scalar), or the weighted masked squared errors {@code (B, K)} for NONE
 * @param squaredError masked squared error {@code (B, K)} (0 where a rating is missing), detached
 * @param perExample mean squared error over the present attributes of each example {@code (B)} (0
 *     when none is present), detached
 */
public record RegressionOutput(NDArray loss, NDArray squaredError, NDArray perExample) {}
