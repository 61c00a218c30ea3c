package dev.reward4j.trainers.config;

import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.UnpairedObjective;

/**
 * The {@code objective:} section, parsed from its {@code type} name into a typed variant at the
 * config edge. The variant decides the model head, the data shape and the trainer objective; the
 * wrapped record is the loss of {@code dev.reward4j.losses}.
 */
public sealed interface ObjectiveConfig
        permits ObjectiveConfig.RewardPairs,
                ObjectiveConfig.Regression,
                ObjectiveConfig.RewardLists,
                ObjectiveConfig.PolicyPairs,
                ObjectiveConfig.PolicyUnpaired,
                ObjectiveConfig.PolicyLists {

    /** The type name used in configuration files (e.g. {@code bt}, {@code dpo}, {@code kto}). */
    String type();

    /**
     * The validated parameter record of the objective (its components are the section's keys
     * besides {@code type}).
     */
    Record params();

    /**
     * True when the objective trains a policy (LM head) rather than a reward model (score head).
     */
    default boolean trainsPolicy() {
        return this instanceof PolicyPairs
                || this instanceof PolicyUnpaired
                || this instanceof PolicyLists;
    }

    /** The examples the objective trains on, which {@code data.format} must produce. */
    default ExampleKind examples() {
        if (this instanceof RewardPairs || this instanceof PolicyPairs) {
            return ExampleKind.PAIRS;
        }
        if (this instanceof Regression) {
            return ExampleKind.RATED;
        }
        if (this instanceof PolicyUnpaired) {
            return ExampleKind.UNPAIRED;
        }
        return ExampleKind.LISTS;
    }

    /** Reward model on preference pairs (every BT variant). */
    record RewardPairs(RewardModelObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }
    }

    /** Multi-attribute reward regression on rated responses ({@code num_labels} attributes). */
    record Regression(RegressionParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "regression";
        }
    }

    /**
     * Parameters of the regression objective.
     *
     * @param numLabels number of rated attributes (score-head outputs); null = the attribute count
     *     of {@code data.format} ({@link RunConfig} fills it in and rejects a different count)
     */
    record RegressionParams(Integer numLabels) {
        /** Validates {@code numLabels >= 1} when given. */
        public RegressionParams {
            if (numLabels != null) {
                Require.atLeast(numLabels, 1, "num_labels");
            }
        }
    }

    /** Listwise reward model over ranked lists (Plackett-Luce, ListNet, all-pairs BT). */
    record RewardLists(ListwiseObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return "rm-" + loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }
    }

    /**
     * Pairwise policy objective (DPO family).
     *
     * @param type the configuration name (e.g. {@code dpo}, {@code orpo}, {@code f-dpo})
     * @param params the section's keys: the loss record itself, or a {@link PolicyPairParams} that
     *     built the loss
     * @param loss the loss
     */
    record PolicyPairs(String type, Record params, PairwisePolicyObjective loss)
            implements ObjectiveConfig {
        /** Requires every component. */
        public PolicyPairs {
            Checks.argument(
                    type != null && params != null && loss != null,
                    () ->
                            "type: policy pairs need a type, keys and a loss (got "
                                    + type
                                    + ", "
                                    + params
                                    + ", "
                                    + loss
                                    + ")");
        }

        /** A loss whose record is its own keys and whose {@code name()} is its type. */
        public PolicyPairs(PairwisePolicyObjective loss) {
            this(loss.name(), (Record) loss, loss);
        }

        /**
         * False for the reference-free losses (SimPO, ORPO, CPO, SFT, with or without the chosen
         * NLL; see {@link PairwisePolicyObjective#usesReference()}).
         */
        public boolean usesReference() {
            return loss.usesReference();
        }
    }

    /** Unpaired policy objective (KTO, BCO, unpaired APO-zero). */
    record PolicyUnpaired(UnpairedObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }
    }

    /**
     * Listwise policy objective: LiPO-lambda on implicit rewards \( \beta(\log\pi - \log\pi_{ref})
     * \), or PRO on per-token mean policy log-probs (reference-free).
     */
    record PolicyLists(ListwiseObjective loss, Record params) implements ObjectiveConfig {
        /**
         * Only LiPO-lambda (with {@link ListPolicyParams}) and PRO (with {@link ProParams}) are
         * listwise policies.
         */
        public PolicyLists {
            Checks.argument(
                    (loss instanceof ListwiseObjective.LipoLambda
                                    && params instanceof ListPolicyParams)
                            || (loss instanceof ListwiseObjective.Pro
                                    && params instanceof ProParams),
                    () ->
                            "type: expected lipo-lambda with beta or pro without keys for a"
                                    + " listwise policy (got "
                                    + loss.name()
                                    + " with "
                                    + params
                                    + ")");
        }

        @Override
        public String type() {
            return loss.name();
        }

        /**
         * The implicit-reward scale of LiPO-lambda; 1 for PRO, which has none (it scores mean
         * policy log-probs).
         */
        public double beta() {
            return params instanceof ListPolicyParams p ? p.beta() : 1.0;
        }
    }

    /**
     * Parameters of LiPO-lambda.
     *
     * @param beta scale of the implicit reward
     */
    record ListPolicyParams(double beta) {
        /** Validates {@code beta > 0}. */
        public ListPolicyParams {
            Require.positive(beta, "beta");
        }

        /** {@code beta 0.1} (LiPO's implicit-reward scale, as DPO's default). */
        public static ListPolicyParams defaults() {
            return new ListPolicyParams(0.1);
        }
    }

    /**
     * PRO has no keys: it ranks per-token mean policy log-probs, without a reference or a scale.
     */
    record ProParams() {}
}
