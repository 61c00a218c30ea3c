package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Unpaired (binary-feedback) objectives: validated hyperparameter records. KTO and BCO need extra
 * inputs (KL rows, a running state) and are computed by {@link UnpairedLosses#kto} and {@link
 * UnpairedLosses#bco}; {@link ApoZeroUnpaired} needs only the log-probs.
 */
public sealed interface UnpairedObjective
        permits UnpairedObjective.Kto, UnpairedObjective.Bco, UnpairedObjective.ApoZeroUnpaired {

    /**
     * Short stable name for logs and configs.
     *
     * @return the name
     */
    String name();

    /**
     * KTO hyperparameters.
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param desirableWeight \( \lambda_D > 0 \), default 1
     * @param undesirableWeight \( \lambda_U > 0 \), default 1. The paper recommends \( \lambda_D
     *     n_D / (\lambda_U n_U) \in [1, 4/3] \).
     */
    record Kto(double beta, double desirableWeight, double undesirableWeight)
            implements UnpairedObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param desirableWeight see the record description
         * @param undesirableWeight see the record description
         */
        public Kto {
            LossChecks.positive("kto", "beta", beta);
            LossChecks.positive("kto", "desirableWeight", desirableWeight);
            LossChecks.positive("kto", "undesirableWeight", undesirableWeight);
        }

        /**
         * {@code beta = 0.1}, weights 1.
         *
         * @return the copy
         */
        public static Kto defaults() {
            return new Kto(0.1, 1, 1);
        }

        /**
         * A copy with other class weights.
         *
         * @param desirable weight of desirable examples
         * @param undesirable weight of undesirable examples
         * @return the copy
         */
        public Kto withWeights(double desirable, double undesirable) {
            return new Kto(beta, desirable, undesirable);
        }

        @Override
        public String name() {
            return "kto";
        }
    }

    /**
     * BCO hyperparameters.
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     */
    record Bco(double beta) implements UnpairedObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Bco {
            LossChecks.positive("bco", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Bco defaults() {
            return new Bco(0.1);
        }

        @Override
        public String name() {
            return "bco";
        }
    }

    /**
     * Unpaired APO-zero (TRL KTO {@code loss_type = "apo_zero_unpaired"}, the unpaired form of APO
     * eq. 7): \( \ell_b = d_b\,\lambda_D\,(1 - \sigma(\beta\rho_b)) +
     * (1-d_b)\,\lambda_U\,\sigma(\beta\rho_b) \); no KL reference point.
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param desirableWeight \( \lambda_D > 0 \), default 1
     * @param undesirableWeight \( \lambda_U > 0 \), default 1
     */
    record ApoZeroUnpaired(double beta, double desirableWeight, double undesirableWeight)
            implements UnpairedObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param desirableWeight see the record description
         * @param undesirableWeight see the record description
         */
        public ApoZeroUnpaired {
            LossChecks.positive("apo_zero_unpaired", "beta", beta);
            LossChecks.positive("apo_zero_unpaired", "desirableWeight", desirableWeight);
            LossChecks.positive("apo_zero_unpaired", "undesirableWeight", undesirableWeight);
        }

        /**
         * {@code beta = 0.1}, weights 1.
         *
         * @return the result
         */
        public static ApoZeroUnpaired defaults() {
            return new ApoZeroUnpaired(0.1, 1, 1);
        }

        @Override
        public String name() {
            return "apo_zero_unpaired";
        }

        /**
         * Computes the loss (see {@link UnpairedLosses#apoZeroUnpaired}).
         *
         * @param logps policy/reference log-probs and desirable labels {@code (B)}
         * @param weight optional {@code (B)} example weights, or null
         * @param reduction reduction over examples
         * @return loss and diagnostics, attached to the manager of {@code logps.policy()}
         */
        public UnpairedOutput apply(UnpairedLogps logps, NDArray weight, Reduction reduction) {
            return UnpairedLosses.apoZeroUnpaired(logps, this, weight, reduction);
        }
    }
}
