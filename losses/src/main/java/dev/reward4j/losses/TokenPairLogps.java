package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Per-token inputs of the token-level preference objectives ({@link TokenPreferenceObjective}): for
 * each side of B pairs, the policy and reference log-probabilities of every response token, the
 * token-level KL divergence between the two models' next-token distributions, and the response
 * mask. Every array is {@code (B, T)}; chosen and rejected may have different T.
 *
 * <p>Entry {@code [b, t]} of a log-prob array is \( \log\pi(y_t \mid x, y_{&lt;t}) \) of the token
 * at position t; entry {@code [b, t]} of a KL array is \( D_{KL}(\pi_{ref}(\cdot \mid x,
 * y_{&lt;t})\,\|\,\pi_\theta(\cdot \mid x, y_{&lt;t})) \) over the full vocabulary (the forward KL
 * of TDPO, see {@link TokenPreferenceLosses#tokenKl}). Positions with mask 0 are ignored whatever
 * their values.
 *
 * @param policyChosen \( \log\pi_\theta \) of the chosen tokens {@code (B, T_c)} (differentiable)
 * @param policyRejected \( \log\pi_\theta \) of the rejected tokens {@code (B, T_r)}
 *     (differentiable)
 * @param referenceChosen \( \log\pi_{ref} \) of the chosen tokens {@code (B, T_c)} (constant)
 * @param referenceRejected \( \log\pi_{ref} \) of the rejected tokens {@code (B, T_r)} (constant)
 * @param klChosen token KL of the chosen positions {@code (B, T_c)} (differentiable)
 * @param klRejected token KL of the rejected positions {@code (B, T_r)} (differentiable)
 * @param maskChosen 0/1 response mask {@code (B, T_c)} (constant)
 * @param maskRejected 0/1 response mask {@code (B, T_r)} (constant)
 * @param weights per-token weights for SparsePO, or null for TDPO
 */
public record TokenPairLogps(
        NDArray policyChosen,
        NDArray policyRejected,
        NDArray referenceChosen,
        NDArray referenceRejected,
        NDArray klChosen,
        NDArray klRejected,
        NDArray maskChosen,
        NDArray maskRejected,
        TokenWeights weights) {

    /**
     * The same inputs with SparsePO token weights.
     *
     * @param w the token weights
     * @return a copy with {@code weights = w}
     */
    public TokenPairLogps withWeights(TokenWeights w) {
        return new TokenPairLogps(
                policyChosen,
                policyRejected,
                referenceChosen,
                referenceRejected,
                klChosen,
                klRejected,
                maskChosen,
                maskRejected,
                w);
    }
}
