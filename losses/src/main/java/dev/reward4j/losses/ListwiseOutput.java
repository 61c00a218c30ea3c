package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Result of a listwise objective. Arrays are attached to the manager of {@code scores}; only {@link
 * #loss()} carries gradient.
 *
 * @param loss reduced loss (scalar), or the weighted per-list losses {@code (B)} for NONE
 * @param perList unweighted per-list loss {@code (B)}, detached
 * @param pairAccuracy {@code (B)} fraction of valid pairs with \( y_i > y_j \) that the scores
 *     order correctly (\( s_i > s_j \)); 0 when a list has no such pair; detached
 * @param validItems {@code (B)} number of valid items per list, detached
 */
public record ListwiseOutput(
        NDArray loss, NDArray perList, NDArray pairAccuracy, NDArray validItems) {}
