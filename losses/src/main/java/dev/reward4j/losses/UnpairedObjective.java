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
     * BCO hyperparameters, TRL's {@code BCOConfig} defaults.
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param udm underlying-distribution matching (opt-in, default false): undesirable examples are
     *     weighted by the density ratio of a logistic classifier on prompt embeddings ({@link
     *     DensityRatioClassifier}); TRL switches it on by an {@code embedding_func}
     * @param minDensityRatio lower clip of the UDM weight, default 0.5 (TRL {@code
     *     min_density_ratio})
     * @param maxDensityRatio upper clip of the UDM weight, default 10 (TRL {@code
     *     max_density_ratio})
     * @param promptSampleSize prompts per class sampled to fit the UDM classifier, default 1024
     *     (TRL {@code prompt_sample_size})
     */
    record Bco(
            double beta,
            boolean udm,
            double minDensityRatio,
            double maxDensityRatio,
            int promptSampleSize)
            implements UnpairedObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param udm see the record description
         * @param minDensityRatio see the record description
         * @param maxDensityRatio see the record description
         * @param promptSampleSize see the record description
         */
        public Bco {
            LossChecks.positive("bco", "beta", beta);
            LossChecks.positive("bco", "minDensityRatio", minDensityRatio);
            LossChecks.positive("bco", "maxDensityRatio", maxDensityRatio);
            if (maxDensityRatio < minDensityRatio) {
                throw LossChecks.bad(
                        "bco",
                        "maxDensityRatio is below minDensityRatio",
                        maxDensityRatio + " < " + minDensityRatio,
                        "expected minDensityRatio <= maxDensityRatio");
            }
            if (promptSampleSize < 1) {
                throw LossChecks.bad(
                        "bco",
                        "promptSampleSize must be >= 1",
                        promptSampleSize,
                        "expected promptSampleSize >= 1");
            }
        }

        /**
         * BCO without UDM, TRL's other defaults.
         *
         * @param beta see the record description
         */
        public Bco(double beta) {
            this(beta, false, 0.5, 10.0, 1024);
        }

        /**
         * {@code beta = 0.1}, no UDM, clip [0.5, 10], 1024 sampled prompts per class.
         *
         * @return the result
         */
        public static Bco defaults() {
            return new Bco(0.1);
        }

        /**
         * A copy with UDM switched on or off.
         *
         * @param on whether to weight undesirable examples by the density ratio
         * @return the copy
         */
        public Bco withUdm(boolean on) {
            return new Bco(beta, on, minDensityRatio, maxDensityRatio, promptSampleSize);
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
