package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Sequence log-probs of unpaired (binary) feedback: one completion per example, labelled desirable
 * or undesirable. Log-probs are sums over completion tokens.
 *
 * @param policy \( \log\pi_\theta(y|x) \) {@code (B)} (differentiable)
 * @param reference \( \log\pi_{ref}(y|x) \) {@code (B)}
 * @param desirable {@code (B)} 1 for desirable, 0 for undesirable (floating or integer; a constant)
 */
public record UnpairedLogps(NDArray policy, NDArray reference, NDArray desirable) {}
