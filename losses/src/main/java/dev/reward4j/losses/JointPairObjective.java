package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Objectives on joint preferences \( (x_w, y_w) \succ (x_l, y_l) \) whose prompts may differ. The
 * inputs are {@link PairLogps} whose "chosen" entries are the log-probs of \( y_w \) given its own
 * prompt \( x_w \) and whose "rejected" entries are those of \( y_l \) given \( x_l \) (the data
 * side: {@code dev.reward4j.core.data.JointPreferencePair}).
 */
public sealed interface JointPairObjective permits JointPairObjective.Jpo {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "jpo"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param logps log-probs {@code (B)} of each response under its own prompt
     * @param weight optional {@code (B)} pair weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction);

    /**
     * JPO / DOVE ("Comparing Bad Apples to Good Oranges: Aligning Large Language Models via Joint
     * Preference Optimization", arXiv 2404.00530): \( \ell = -\log\sigma(\beta[
     * (\log\pi_\theta(y_w|x_w) - \log\pi_{ref}(y_w|x_w)) - (\log\pi_\theta(y_l|x_l) -
     * \log\pi_{ref}(y_l|x_l))]) \), the joint probability ratio of the two instruction-response
     * pairs with the prompt marginals cancelling against the reference. On pairs with one prompt (
     * \( x_w = x_l \)) it is DPO. Summed response log-probs; rewards \( \beta\rho \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     */
    record Jpo(double beta) implements JointPairObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Jpo {
            LossChecks.positive("jpo", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Jpo defaults() {
            return new Jpo(0.1);
        }

        @Override
        public String name() {
            return "jpo";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            PairInputs.check(name(), logps, weight, false);
            NDArray b = PairInputs.c(logps.policyChosen(), beta);
            NDArray rw = PairInputs.rhoChosen(logps).mul(b);
            NDArray rl = PairInputs.rhoRejected(logps).mul(b);
            return PairwiseOutput.of(Numerics.negLogSigmoid(rw.sub(rl)), rw, rl, weight, reduction);
        }
    }
}
