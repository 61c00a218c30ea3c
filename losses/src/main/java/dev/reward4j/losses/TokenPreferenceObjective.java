package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Token-level preference objectives on per-token log-probs and full-vocabulary token KL ({@link
 * TokenPairLogps}). Notation: \( \rho = \sum_t m_t(\log\pi_\theta(y_t) - \log\pi_{ref}(y_t)) \) and
 * the sequential KL \( D = \sum_t m_t\,D_{KL}(\pi_{ref}(\cdot|s_t)\,\|\,\pi_\theta(\cdot|s_t)) \)
 * over the response mask m, for the chosen (c) and rejected (r) response. Each record's {@link
 * #apply} calls its own function in {@link TokenPreferenceLosses}.
 */
public sealed interface TokenPreferenceObjective
        permits TokenPreferenceObjective.Tdpo1,
                TokenPreferenceObjective.Tdpo2,
                TokenPreferenceObjective.SparsePo {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "tdpo2"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param logps per-token inputs {@code (B, T)}
     * @param weight optional {@code (B)} non-negative pair weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    PairwiseOutput apply(TokenPairLogps logps, NDArray weight, Reduction reduction);

    /**
     * TDPO1: \( \ell = -\log\sigma(\beta(\rho_c - \rho_r) + \beta(D_c - D_r)) \) (arXiv 2404.11999,
     * eq. of TDPO1; the authors' code has no \( \alpha \) in TDPO1). Rewards \( \beta(\rho + D) \)
     * as the authors log them.
     *
     * @param beta \( \beta > 0 \), default 0.1
     */
    record Tdpo1(double beta) implements TokenPreferenceObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Tdpo1 {
            LossChecks.positive("tdpo1", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Tdpo1 defaults() {
            return new Tdpo1(0.1);
        }

        @Override
        public String name() {
            return "tdpo1";
        }

        @Override
        public PairwiseOutput apply(TokenPairLogps logps, NDArray weight, Reduction reduction) {
            return TokenPreferenceLosses.tdpo(this, beta, 1.0, false, logps, weight, reduction);
        }
    }

    /**
     * TDPO2: \( \ell = -\log\sigma(\beta(\rho_c - \rho_r) + \alpha\beta(\mathrm{sg}(D_c) - D_r))
     * \): the chosen response's sequential KL enters through a stop-gradient (the authors' {@code
     * chosen_position_kl.detach()}). Rewards \( \beta(\rho + D) \).
     *
     * @param beta \( \beta > 0 \), default 0.1 (authors' config)
     * @param alpha \( \alpha \ge 0 \), default 0.5 (authors' config)
     */
    record Tdpo2(double beta, double alpha) implements TokenPreferenceObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param alpha see the record description
         */
        public Tdpo2 {
            LossChecks.positive("tdpo2", "beta", beta);
            LossChecks.nonNegative("tdpo2", "alpha", alpha);
        }

        /**
         * {@code beta = 0.1, alpha = 0.5}.
         *
         * @return the result
         */
        public static Tdpo2 defaults() {
            return new Tdpo2(0.1, 0.5);
        }

        @Override
        public String name() {
            return "tdpo2";
        }

        @Override
        public PairwiseOutput apply(TokenPairLogps logps, NDArray weight, Reduction reduction) {
            return TokenPreferenceLosses.tdpo(this, beta, alpha, true, logps, weight, reduction);
        }
    }

    /**
     * SparsePO (arXiv 2410.05102): TDPO1 with per-token weights, \( u = \beta\sum_t m^u_t
     * \rho_{c,t} - \beta\sum_t m^u_t \rho_{r,t} \), \( \delta = \beta\sum_t m^d_t D_{r,t} -
     * \beta\sum_t m^d_t D_{c,t} \), \( \ell = -\log\sigma(u - \delta) \). The masks come with the
     * inputs ({@link TokenPairLogps#weights()}): constants derived from the reference model, or
     * differentiable learned masks. Rewards \( \beta\sum_t m^u_t\rho_t \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     */
    record SparsePo(double beta) implements TokenPreferenceObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public SparsePo {
            LossChecks.positive("sparse-po", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static SparsePo defaults() {
            return new SparsePo(0.1);
        }

        @Override
        public String name() {
            return "sparse-po";
        }

        @Override
        public PairwiseOutput apply(TokenPairLogps logps, NDArray weight, Reduction reduction) {
            return TokenPreferenceLosses.sparsePo(this, logps, weight, reduction);
        }
    }
}
