package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Reference-free pairwise objectives on the absolute likelihood of each response rather than on a
 * Bradley-Terry comparison with a reference: ASFT and the text form of MaPO. Inputs are {@link
 * PairLogps} with token counts (the reference arrays are ignored). Notation: \( \bar\pi =
 * \log\pi_\theta(y|x)/\max(n, 1) \), the per-token mean log-prob. Each record's {@link #apply}
 * calls its own function in {@link AbsoluteLikelihoodLosses}.
 */
public sealed interface AbsoluteLikelihoodObjective
        permits AbsoluteLikelihoodObjective.Asft, AbsoluteLikelihoodObjective.Mapo {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "asft"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param logps policy log-probs and token counts {@code (B)}
     * @param weight optional {@code (B)} pair weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction);

    /**
     * ASFT (arXiv 2409.10571): the chosen NLL plus an absolute-likelihood alignment term on each
     * response alone, \( \ell = -\bar\pi_c + \lambda[-\log\sigma(\beta o_c) - \log\sigma(-\beta
     * o_r)] \) with the log-odds \( o = \bar\pi - \log(1 - e^{\bar\pi}) \). With \( \beta = 1 \)
     * the bracket is \( -\log p_c - \log(1 - p_r) \), \( p = e^{\bar\pi} \): the chosen response's
     * likelihood is raised and the rejected one's lowered independently (no Bradley-Terry
     * difference). Rewards \( \beta o \).
     *
     * @param beta \( \beta > 0 \), default 1
     * @param lambda weight \( \lambda > 0 \) of the alignment term, default 0.1
     */
    record Asft(double beta, double lambda) implements AbsoluteLikelihoodObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param lambda see the record description
         */
        public Asft {
            LossChecks.positive("asft", "beta", beta);
            LossChecks.positive("asft", "lambda", lambda);
        }

        /**
         * {@code beta = 1, lambda = 0.1}.
         *
         * @return the result
         */
        public static Asft defaults() {
            return new Asft(1.0, 0.1);
        }

        @Override
        public String name() {
            return "asft";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return AbsoluteLikelihoodLosses.asft(this, logps, weight, reduction);
        }
    }

    /**
     * MaPO in text form (arXiv 2406.06424): the diffusion loss \( m \) (MSE) of the paper is
     * replaced by the per-token mean NLL \( m = -\bar\pi \ge 0 \); with the bounded score \( s(m) =
     * m/(e^m - 1) \) (1 at \( m = 0 \), falling to 0), \( \ell = m_c -
     * \beta\log\sigma(\gamma[s(m_c) - s(m_r)]) \), as the authors' {@code model_losses_w.mean() -
     * beta_mapo * logsigmoid(log_odds * T)} with \( \gamma \) in place of the number of diffusion
     * steps T. Rewards \( s(m) \).
     *
     * @param beta margin weight \( \beta > 0 \), default 0.1
     * @param gamma scale \( \gamma > 0 \) of the score difference, default 1
     */
    record Mapo(double beta, double gamma) implements AbsoluteLikelihoodObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param gamma see the record description
         */
        public Mapo {
            LossChecks.positive("mapo", "beta", beta);
            LossChecks.positive("mapo", "gamma", gamma);
        }

        /**
         * {@code beta = 0.1, gamma = 1}.
         *
         * @return the result
         */
        public static Mapo defaults() {
            return new Mapo(0.1, 1.0);
        }

        @Override
        public String name() {
            return "mapo";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return AbsoluteLikelihoodLosses.mapo(this, logps, weight, reduction);
        }
    }
}
