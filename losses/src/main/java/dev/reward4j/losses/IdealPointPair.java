package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Inputs of an {@link IdealPointObjective}: response embeddings, the shared prototypes and each
 * pair's user weights over the prototypes.
 *
 * @param chosen {@code (B, D)} embeddings \( f(x, y_c) \) of the chosen responses (differentiable)
 * @param rejected {@code (B, D)} embeddings \( f(x, y_r) \) of the rejected responses
 *     (differentiable)
 * @param prototypes {@code (K, D)} prototype ideal points \( p_1..p_K \) shared by all users
 *     (differentiable; constant when frozen, e.g. for few-shot fitting of a new user)
 * @param userLogits {@code (B, K)} logits \( u \) of the user of each pair, with simplex weights \(
 *     \mathrm{softmax}(u) \) (differentiable)
 */
public record IdealPointPair(
        NDArray chosen, NDArray rejected, NDArray prototypes, NDArray userLogits) {}
