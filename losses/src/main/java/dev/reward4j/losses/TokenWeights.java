package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * SparsePO token masks: non-negative weights of every response token in the reward term (\( m_u \))
 * and in the KL term (\( m_d \)), one {@code (B, T)} array per side. Weights may be constants
 * (masks derived from the reference model) or differentiable (learned masks). A common mask uses
 * the same arrays for both terms ({@link #common}).
 *
 * @param rewardChosen \( m_u \) over the chosen tokens {@code (B, T_c)}
 * @param rewardRejected \( m_u \) over the rejected tokens {@code (B, T_r)}
 * @param klChosen \( m_d \) over the chosen tokens {@code (B, T_c)}
 * @param klRejected \( m_d \) over the rejected tokens {@code (B, T_r)}
 */
public record TokenWeights(
        NDArray rewardChosen, NDArray rewardRejected, NDArray klChosen, NDArray klRejected) {

    /**
     * One mask for the reward and the KL term.
     *
     * @param chosen weights over the chosen tokens {@code (B, T_c)}
     * @param rejected weights over the rejected tokens {@code (B, T_r)}
     * @return the weights
     */
    public static TokenWeights common(NDArray chosen, NDArray rejected) {
        return new TokenWeights(chosen, rejected, chosen, rejected);
    }
}
