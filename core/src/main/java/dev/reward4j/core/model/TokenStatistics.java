package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Token log-probabilities and, from the same forward, the statistics the training diagnostics read
 * ({@link DecoderModel#tokenStatistics}). Every array is attached to the manager of the input ids;
 * entry t of the (N, T) arrays belongs to token t (the distribution at position t - 1 that predicts
 * it), 0 at t = 0 and at masked positions.
 *
 * @param tokenLogps (N, T) float32 log-probabilities of the tokens, part of the autograd graph
 * @param hidden (N, T, H) float32 last hidden states (after the final norm), detached
 * @param topKEntropy (N, T) float32 entropy of the next-token distribution renormalised over its
 *     top k tokens, detached
 * @param topKMass (N, T) float32 probability mass of the top k tokens, detached
 * @param logSquaredMass (N, T) float32 \( \log\sum_v p_v^2 \) (WPO's alignment term), detached, or
 *     null when not asked for
 */
public record TokenStatistics(
        NDArray tokenLogps,
        NDArray hidden,
        NDArray topKEntropy,
        NDArray topKMass,
        NDArray logSquaredMass) {}
