package dev.reward4j.losses;

/** Unpaired (binary-feedback) objectives: validated hyperparameter records. */
public sealed interface UnpairedObjective permits UnpairedObjective.Kto, UnpairedObjective.Bco {

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
}
