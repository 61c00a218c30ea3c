package dev.reward4j.trainers.config;

import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.AbsoluteLikelihoodObjective;
import dev.reward4j.losses.AutoregressiveRewardObjective;
import dev.reward4j.losses.JointPairObjective;
import dev.reward4j.losses.LabeledPairObjective;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.losses.TriplePreferenceObjective;
import dev.reward4j.losses.UnpairedObjective;

/**
 * The {@code objective:} section, parsed from its {@code type} name into a typed variant at the
 * config edge. The variant decides the model head, the data shape and the trainer objective; the
 * wrapped record is the loss of {@code dev.reward4j.losses}.
 *
 * <p>Each variant answers for itself what it trains ({@link #trainsPolicy()}), on which examples
 * ({@link #examples()}) and whether it needs a reference model ({@link #usesReference()}); code
 * that builds something different per family takes a {@link Visitor}, so the compiler checks that
 * every family is handled (no {@code instanceof} chain).
 */
public sealed interface ObjectiveConfig
        permits ObjectiveConfig.RewardPairs,
                ObjectiveConfig.Regression,
                ObjectiveConfig.RewardLists,
                ObjectiveConfig.PolicyPairs,
                ObjectiveConfig.PolicyUnpaired,
                ObjectiveConfig.PolicyLists,
                ObjectiveConfig.Hindsight,
                ObjectiveConfig.ClassConditioned,
                ObjectiveConfig.TokenPairs,
                ObjectiveConfig.JointPairs,
                ObjectiveConfig.LabeledPairs,
                ObjectiveConfig.AbsolutePairs,
                ObjectiveConfig.Triples,
                ObjectiveConfig.AutoregressiveRewardPairs,
                ObjectiveConfig.PreferenceEmbeddingPairs,
                ObjectiveConfig.ProcessReward,
                ObjectiveConfig.MixturePairs,
                ObjectiveConfig.EnsembleHeadsPairs,
                ObjectiveConfig.UserClusterPairs,
                ObjectiveConfig.IdealPointPairs {

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
    boolean trainsPolicy();

    /** The examples the objective trains on, which {@code data.format} must produce. */
    ExampleKind examples();

    /**
     * True when training needs a frozen reference model ({@code model.reference}) or its cached
     * log-probs; false for reward models and the reference-free policy objectives.
     */
    boolean usesReference();

    /**
     * True when {@code data.packing} applies (pairwise reward models: several sequences per row do
     * not change their scores).
     */
    default boolean supportsPacking() {
        return false;
    }

    /**
     * This objective with what {@code format} (resolved, not {@code auto}) implies filled in; the
     * variant itself when nothing depends on the data (every variant but {@link Regression}).
     *
     * @throws ConfigException when the objective's keys contradict the format
     */
    default ObjectiveConfig resolvedFor(DataFormat format) {
        return this;
    }

    /**
     * The configuration of a listwise loss: LiPO-lambda (with {@link ListPolicyParams#defaults()})
     * and PRO train a policy, the other listwise losses a reward model.
     */
    static ObjectiveConfig listwise(ListwiseObjective loss) {
        if (loss instanceof ListwiseObjective.LipoLambda) {
            return new PolicyLists(loss, ListPolicyParams.defaults());
        }
        if (loss instanceof ListwiseObjective.Pro) {
            return new PolicyLists(loss, new ProParams());
        }
        return new RewardLists(loss);
    }

    /**
     * Calls the method of {@code visitor} for this variant.
     *
     * @param <R> the visitor's result
     * @param <X> the exception the visitor may throw
     */
    <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

    /**
     * One method per objective family: what differs per family (model head, data, training step) is
     * built in a visitor, so adding a family fails to compile until every visitor handles it.
     *
     * @param <R> the result
     * @param <X> the exception the methods may throw
     */
    interface Visitor<R, X extends Exception> {
        /** A pairwise reward model. */
        R rewardPairs(RewardPairs objective) throws X;

        /** A multi-attribute regression reward model. */
        R regression(Regression objective) throws X;

        /** A listwise reward model. */
        R rewardLists(RewardLists objective) throws X;

        /** A pairwise policy objective (DPO family). */
        R policyPairs(PolicyPairs objective) throws X;

        /** An unpaired policy objective (KTO, BCO). */
        R policyUnpaired(PolicyUnpaired objective) throws X;

        /** A listwise policy objective (LiPO-lambda, PRO). */
        R policyLists(PolicyLists objective) throws X;

        /** Chain of Hindsight: NLL on hindsight sequences built from preference pairs. */
        R hindsight(Hindsight objective) throws X;

        /** C-RLFT: class-conditioned, reward-weighted supervised fine-tuning. */
        R classConditioned(ClassConditioned objective) throws X;

        /** A token-level pairwise policy objective (TDPO1, TDPO2, SparsePO). */
        R tokenPairs(TokenPairs objective) throws X;

        /** JPO on joint pairs (chosen and rejected under their own prompts). */
        R jointPairs(JointPairs objective) throws X;

        /** A pairwise policy objective with a per-pair label (soft preference, iREPO, ...). */
        R labeledPairs(LabeledPairs objective) throws X;

        /** A reference-free absolute-likelihood objective (ASFT, MaPO). */
        R absolutePairs(AbsolutePairs objective) throws X;

        /** TPO on preference triples. */
        R triples(Triples objective) throws X;

        /** An autoregressive reward model (GenARM) on preference pairs. */
        R autoregressiveRewardPairs(AutoregressiveRewardPairs objective) throws X;

        /** A General Preference embedding Model (GPM) on preference pairs. */
        R preferenceEmbeddingPairs(PreferenceEmbeddingPairs objective) throws X;

        /** A process reward model on step-annotated solutions. */
        R processReward(ProcessReward objective) throws X;

        /** A mixture of BT heads with a prompt router (MiCRo) on preference pairs. */
        R mixturePairs(MixturePairs objective) throws X;

        /** An ensemble of BT heads on one backbone on preference pairs. */
        R ensembleHeadsPairs(EnsembleHeadsPairs objective) throws X;

        /** MaxMin-RLHF's EM over user clusters on per-user preference pairs. */
        R userClusterPairs(UserClusterPairs objective) throws X;

        /** PAL-A ideal points on per-user preference pairs. */
        R idealPointPairs(IdealPointPairs objective) throws X;
    }

    /** Reward model on preference pairs (every BT variant). */
    record RewardPairs(RewardModelObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public boolean supportsPacking() {
            return true;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.rewardPairs(this);
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

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.RATED;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.regression(this);
        }

        /**
         * With {@code num_labels} = the attribute count of {@code format} ({@code num_labels} given
         * and different is an error).
         */
        @Override
        public Regression resolvedFor(DataFormat format) {
            java.util.List<String> attributes = format.rated().attributes();
            Integer given = params.numLabels();
            if (given != null && given != attributes.size()) {
                throw new ConfigException(
                        "objective.num_labels: expected "
                                + attributes.size()
                                + ", the attributes of data.format "
                                + format.key()
                                + " "
                                + attributes
                                + " (got "
                                + given
                                + "); remove the key to take the count from the data");
            }
            return new Regression(new RegressionParams(attributes.size()));
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
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.LISTS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.rewardLists(this);
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
        @Override
        public boolean usesReference() {
            return loss.usesReference();
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.policyPairs(this);
        }
    }

    /** Unpaired policy objective (KTO, BCO, unpaired APO-zero). */
    record PolicyUnpaired(UnpairedObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.UNPAIRED;
        }

        /** Always: KTO, BCO and unpaired APO-zero reward the policy against a reference. */
        @Override
        public boolean usesReference() {
            return true;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.policyUnpaired(this);
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

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.LISTS;
        }

        /** LiPO-lambda ranks implicit rewards against a reference; PRO is reference-free. */
        @Override
        public boolean usesReference() {
            return params instanceof ListPolicyParams;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.policyLists(this);
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

    /**
     * Chain of Hindsight ({@code chain-of-hindsight}): a policy trained by NLL on sequences that
     * hold both responses of a preference pair after feedback phrases, the phrases masked from the
     * loss; reads any pair format, no reference.
     *
     * @param params the feedback phrases and order
     */
    record Hindsight(HindsightParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "chain-of-hindsight";
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.hindsight(this);
        }
    }

    /**
     * C-RLFT ({@code c-rlft}): a policy trained by class-reward-weighted NLL on class-conditioned
     * prompts; reads {@code class-labeled} rows, no reference.
     *
     * @param params the class field and the classes
     */
    record ClassConditioned(ClassConditionedParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "c-rlft";
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.CLASS_LABELED;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.classConditioned(this);
        }
    }

    /**
     * Token-level pairwise policy objective ({@code tdpo1}, {@code tdpo2}, {@code sparse-po}): the
     * sequential KL between reference and policy over the full vocabulary, computed from both
     * models' logits a chunk of tokens at a time; needs a reference model ({@code model.reference},
     * not a reference cache). SparsePO's masks come from the reference model's activations.
     *
     * @param loss the loss record (its components are the keys)
     * @param learnedMasks SparsePO only: learned masks ({@code masks: learned}) instead of the
     *     reference model's activations
     */
    record TokenPairs(TokenPreferenceObjective loss, boolean learnedMasks)
            implements ObjectiveConfig {
        /** Learned masks belong to SparsePO only. */
        public TokenPairs {
            Checks.argument(
                    !learnedMasks || loss instanceof TokenPreferenceObjective.SparsePo,
                    () ->
                            "masks: learned masks are SparsePO's (got objective "
                                    + loss.name()
                                    + ")");
        }

        /** The objective with reference-activation masks (SparsePO) or no masks (TDPO). */
        public TokenPairs(TokenPreferenceObjective loss) {
            this(loss, false);
        }

        @Override
        public String type() {
            return loss.name();
        }

        /** The loss record, or for SparsePO its keys with {@code masks}. */
        @Override
        public Record params() {
            if (loss instanceof TokenPreferenceObjective.SparsePo sp) {
                return new SparsePoParams(sp.beta(), learnedMasks ? "learned" : "reference");
            }
            return (Record) loss;
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return true;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.tokenPairs(this);
        }
    }

    /**
     * JPO ({@code jpo}) on joint pairs ({@code data.format: joint}): each response scored under its
     * own prompt against the reference.
     *
     * @param loss the loss record
     */
    record JointPairs(JointPairObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.JOINT_PAIRS;
        }

        @Override
        public boolean usesReference() {
            return true;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.jointPairs(this);
        }
    }

    /**
     * Pairwise policy objective with a per-pair label read from the pair formats' {@code margin}
     * column ({@code soft-preference}: preference probability; {@code irepo}: empirical preference;
     * {@code mm-dpo}: reward margin; {@code cream}: consistency rate); a pair without the label is
     * an error naming it.
     *
     * @param loss the loss record
     */
    record LabeledPairs(LabeledPairObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return true;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.labeledPairs(this);
        }
    }

    /**
     * Reference-free absolute-likelihood objective on pairs ({@code asft}, {@code mapo}).
     *
     * @param loss the loss record
     */
    record AbsolutePairs(AbsoluteLikelihoodObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.absolutePairs(this);
        }
    }

    /**
     * TPO ({@code tpo}, {@code tpo-l}) on preference triples ({@code data.format: triples}):
     * reference-free preference between chosen and rejected plus the gold response's NLL.
     *
     * @param loss the loss record
     */
    record Triples(TriplePreferenceObjective loss) implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }

        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.TRIPLES;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.triples(this);
        }
    }

    /**
     * Autoregressive reward model ({@code genarm}): the reward of a response is \( \beta_r \) times
     * its summed token log-probs under an LM head, trained with Bradley-Terry on pairs; the result
     * is a causal LM checkpoint whose next-token log-probs are token-level rewards.
     *
     * @param loss the loss record
     */
    record AutoregressiveRewardPairs(AutoregressiveRewardObjective loss)
            implements ObjectiveConfig {
        @Override
        public String type() {
            return loss.name();
        }

        @Override
        public Record params() {
            return (Record) loss;
        }

        /** True: the model has an LM head (the reward is read from its token log-probs). */
        @Override
        public boolean trainsPolicy() {
            return true;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.autoregressiveRewardPairs(this);
        }
    }

    /**
     * General Preference embedding Model ({@code gpm}): a reward-model checkpoint whose {@code
     * num_labels} score columns are a response's preference embedding (and gates); a GPM has no
     * scalar reward, its scorer gives pairwise preference probabilities ({@code
     * dev.reward4j.trainers.gpm.GeneralPreferenceScorer}).
     *
     * @param params the keys
     */
    record PreferenceEmbeddingPairs(GeneralPreferenceParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "gpm";
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.preferenceEmbeddingPairs(this);
        }
    }

    /**
     * Process reward model ({@code prm}): per-step binary cross-entropy at each step's separator
     * ({@code data.format: stepwise}); the result is a reward-model checkpoint whose score at a
     * step's separator is that step's logit ({@code dev.reward4j.trainers.process.
     * ProcessRewardScorer} gives per-step rewards and their min, last or product).
     *
     * @param params the keys
     */
    record ProcessReward(ProcessRewardParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "prm";
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.STEPS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.processReward(this);
        }
    }

    /**
     * Mixture of BT reward heads with a prompt router ({@code mixture}, MiCRo's first stage).
     *
     * @param params the keys
     */
    record MixturePairs(MixtureParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "mixture";
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.mixturePairs(this);
        }
    }

    /**
     * Ensemble of BT reward heads on one shared backbone ({@code ensemble-heads}).
     *
     * @param params the keys
     */
    record EnsembleHeadsPairs(EnsembleHeadsParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "ensemble-heads";
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.ensembleHeadsPairs(this);
        }
    }

    /**
     * MaxMin-RLHF's EM clustering of users ({@code maxmin}): K BT heads, one per cluster.
     *
     * @param params the keys
     */
    record UserClusterPairs(MaxMinParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "maxmin";
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.userClusterPairs(this);
        }
    }

    /**
     * PAL-A ideal points ({@code pal}): response embeddings, prototypes and per-user simplex
     * weights.
     *
     * @param params the keys
     */
    record IdealPointPairs(IdealPointParams params) implements ObjectiveConfig {
        @Override
        public String type() {
            return "pal";
        }

        @Override
        public boolean trainsPolicy() {
            return false;
        }

        @Override
        public ExampleKind examples() {
            return ExampleKind.PAIRS;
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.idealPointPairs(this);
        }
    }
}
