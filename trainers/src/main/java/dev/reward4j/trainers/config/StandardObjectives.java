package dev.reward4j.trainers.config;

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
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objective types a configuration can name, discovered from the sealed objective hierarchies of
 * {@code dev.reward4j.losses} (each record's {@code name()} is its type; its components are the
 * keys):
 *
 * <ul>
 *   <li>reward model on pairs: every {@link RewardModelObjective} ({@code bt}, {@code bt-direct},
 *       {@code scaled-bt}, {@code soft-bt}, {@code rao-kupper}); the data's {@code margin} carries
 *       the BT margin, the strength (scaled-bt), the target probability (soft-bt) or the 0/1 tie
 *       flag (rao-kupper);
 *   <li>{@code regression}: multi-attribute reward regression ({@code num_labels} defaults to the
 *       data format's attribute count);
 *   <li>listwise reward model: {@code rm-plackett-luce}, {@code rm-listnet}, {@code
 *       rm-all-pairs-bt};
 *   <li>pairwise policy: every {@link PairwisePolicyObjective} with scalar parameters ({@code dpo},
 *       {@code ipo}, {@code cdpo}, {@code rdpo}, {@code hinge}, {@code ln-dpo}, {@code simpo} and
 *       TRL's {@code exo_pair}, {@code nca_pair}, {@code bco_pair}, {@code sppo_hard}, {@code aot},
 *       {@code aot_unpaired} (alias {@code aot_pair}), {@code apo_zero}, {@code apo_down}, {@code
 *       discopop}, {@code sft}); {@code orpo} and {@code cpo} as TRL trains them, with the chosen
 *       NLL ({@code nll_weight}, ORPO's {@code nll_tokens}, CPO's AlphaPO {@code alpha}), {@code
 *       f-dpo} with a {@code divergence}, and {@code combined} ({@code loss_type}, {@code
 *       loss_weights}, as MPO) ({@link PolicyPairParams});
 *   <li>unpaired policy: {@code kto}, {@code bco}, {@code apo_zero_unpaired};
 *   <li>listwise policy: {@code lipo-lambda} ({@code beta}), {@code pro} (no keys);
 *   <li>token-level policy: {@code tdpo1}, {@code tdpo2}, {@code sparse-po}; joint pairs: {@code
 *       jpo}; labelled pairs: {@code soft-preference}, {@code irepo}, {@code mm-dpo}, {@code
 *       cream}; reference-free absolute likelihood: {@code asft}, {@code mapo}; triples: {@code
 *       tpo}, {@code tpo-l};
 *   <li>supervised policy: {@code chain-of-hindsight} ({@link HindsightParams}) on pairs, {@code
 *       c-rlft} ({@link ClassConditionedParams}) on class-labelled rows.
 * </ul>
 */
public final class StandardObjectives {
    private StandardObjectives() {}

    /** The catalog of every standard objective type. */
    public static ObjectiveCatalog catalog() {
        Map<String, Record> defaults = new LinkedHashMap<>();
        Map<String, Class<?>> family = new LinkedHashMap<>();
        for (Class<?> c : RewardModelObjective.class.getPermittedSubclasses()) {
            put(
                    defaults,
                    family,
                    ((RewardModelObjective) instance(c)).name(),
                    instance(c),
                    RewardModelObjective.class);
        }
        put(
                defaults,
                family,
                "regression",
                new ObjectiveConfig.RegressionParams(null),
                ObjectiveConfig.Regression.class);
        for (Class<?> c : ListwiseObjective.class.getPermittedSubclasses()) {
            ListwiseObjective l = (ListwiseObjective) instance(c);
            if (l instanceof ListwiseObjective.LipoLambda) {
                put(
                        defaults,
                        family,
                        l.name(),
                        ObjectiveConfig.ListPolicyParams.defaults(),
                        ObjectiveConfig.PolicyLists.class);
            } else if (l instanceof ListwiseObjective.Pro) {
                put(
                        defaults,
                        family,
                        l.name(),
                        new ObjectiveConfig.ProParams(),
                        ObjectiveConfig.PolicyLists.class);
            } else {
                put(defaults, family, "rm-" + l.name(), (Record) l, ListwiseObjective.class);
            }
        }
        for (Class<?> c : PairwisePolicyObjective.class.getPermittedSubclasses()) {
            if (c == PairwisePolicyObjective.FDpo.class
                    || c == PairwisePolicyObjective.WithChosenNll.class
                    || c == PairwisePolicyObjective.Combination.class
                    || c == PairwisePolicyObjective.Wpo.class
                    || c == PairwisePolicyObjective.LengthDesensitized.class
                    || c == PairwisePolicyObjective.Orpo.class
                    || c == PairwisePolicyObjective.Cpo.class) {
                continue; // not flat records, or trained with the chosen NLL: keys in
                // PolicyPairParams
            }
            put(
                    defaults,
                    family,
                    ((PairwisePolicyObjective) instance(c)).name(),
                    instance(c),
                    PairwisePolicyObjective.class);
        }
        // TRL <= 0.28 called aot_unpaired "aot_pair"
        put(
                defaults,
                family,
                "aot_pair",
                PairwisePolicyObjective.AotUnpaired.defaults(),
                PairwisePolicyObjective.class);
        for (PolicyPairParams p :
                List.of(
                        PolicyPairParams.Orpo.defaults(),
                        PolicyPairParams.Cpo.defaults(),
                        PolicyPairParams.FDpo.defaults(),
                        PolicyPairParams.Combined.defaults())) {
            put(defaults, family, p.type(), p, PolicyPairParams.class);
        }
        for (Class<?> c : UnpairedObjective.class.getPermittedSubclasses()) {
            put(
                    defaults,
                    family,
                    ((UnpairedObjective) instance(c)).name(),
                    instance(c),
                    UnpairedObjective.class);
        }
        put(
                defaults,
                family,
                "chain-of-hindsight",
                HindsightParams.defaults(),
                ObjectiveConfig.Hindsight.class);
        put(
                defaults,
                family,
                "c-rlft",
                ClassConditionedParams.defaults(),
                ObjectiveConfig.ClassConditioned.class);
        for (Class<?> fam :
                List.of(
                        TokenPreferenceObjective.class,
                        JointPairObjective.class,
                        LabeledPairObjective.class,
                        AbsoluteLikelihoodObjective.class,
                        TriplePreferenceObjective.class,
                        AutoregressiveRewardObjective.class)) {
            for (Class<?> c : fam.getPermittedSubclasses()) {
                if (c == TokenPreferenceObjective.SparsePo.class) {
                    continue; // keys with masks: SparsePoParams
                }
                Object loss = instance(c);
                put(defaults, family, nameOf(loss), loss, fam);
            }
        }
        put(defaults, family, "sparse-po", SparsePoParams.defaults(), SparsePoParams.class);
        put(
                defaults,
                family,
                "gpm",
                GeneralPreferenceParams.defaults(),
                ObjectiveConfig.PreferenceEmbeddingPairs.class);
        put(
                defaults,
                family,
                "mixture",
                MixtureParams.defaults(),
                ObjectiveConfig.MixturePairs.class);
        put(
                defaults,
                family,
                "ensemble-heads",
                EnsembleHeadsParams.defaults(),
                ObjectiveConfig.EnsembleHeadsPairs.class);
        put(
                defaults,
                family,
                "maxmin",
                MaxMinParams.defaults(),
                ObjectiveConfig.UserClusterPairs.class);
        put(
                defaults,
                family,
                "pal",
                IdealPointParams.defaults(),
                ObjectiveConfig.IdealPointPairs.class);
        put(
                defaults,
                family,
                "prm",
                ProcessRewardParams.defaults(),
                ObjectiveConfig.ProcessReward.class);
        return new RecordCatalog(defaults, (type, params) -> wrap(type, params, family.get(type)));
    }

    private static ObjectiveConfig wrap(String type, Record params, Class<?> family) {
        if (family == RewardModelObjective.class) {
            return new ObjectiveConfig.RewardPairs((RewardModelObjective) params);
        }
        if (family == ObjectiveConfig.Regression.class) {
            return new ObjectiveConfig.Regression((ObjectiveConfig.RegressionParams) params);
        }
        if (family == ListwiseObjective.class) {
            return new ObjectiveConfig.RewardLists((ListwiseObjective) params);
        }
        if (family == ObjectiveConfig.PolicyLists.class) {
            ListwiseObjective loss =
                    type.equals(new ListwiseObjective.Pro().name())
                            ? new ListwiseObjective.Pro()
                            : new ListwiseObjective.LipoLambda();
            return new ObjectiveConfig.PolicyLists(loss, params);
        }
        if (family == PolicyPairParams.class) {
            return new ObjectiveConfig.PolicyPairs(
                    type, params, ((PolicyPairParams) params).toLoss());
        }
        if (family == PairwisePolicyObjective.class) {
            return new ObjectiveConfig.PolicyPairs((PairwisePolicyObjective) params);
        }
        if (family == ObjectiveConfig.Hindsight.class) {
            return new ObjectiveConfig.Hindsight((HindsightParams) params);
        }
        if (family == ObjectiveConfig.ClassConditioned.class) {
            return new ObjectiveConfig.ClassConditioned((ClassConditionedParams) params);
        }
        if (family == SparsePoParams.class) {
            return ((SparsePoParams) params).objective();
        }
        if (family == TokenPreferenceObjective.class) {
            return new ObjectiveConfig.TokenPairs((TokenPreferenceObjective) params);
        }
        if (family == JointPairObjective.class) {
            return new ObjectiveConfig.JointPairs((JointPairObjective) params);
        }
        if (family == LabeledPairObjective.class) {
            return new ObjectiveConfig.LabeledPairs((LabeledPairObjective) params);
        }
        if (family == AbsoluteLikelihoodObjective.class) {
            return new ObjectiveConfig.AbsolutePairs((AbsoluteLikelihoodObjective) params);
        }
        if (family == TriplePreferenceObjective.class) {
            return new ObjectiveConfig.Triples((TriplePreferenceObjective) params);
        }
        if (family == ObjectiveConfig.MixturePairs.class) {
            return new ObjectiveConfig.MixturePairs((MixtureParams) params);
        }
        if (family == ObjectiveConfig.EnsembleHeadsPairs.class) {
            return new ObjectiveConfig.EnsembleHeadsPairs((EnsembleHeadsParams) params);
        }
        if (family == ObjectiveConfig.UserClusterPairs.class) {
            return new ObjectiveConfig.UserClusterPairs((MaxMinParams) params);
        }
        if (family == ObjectiveConfig.IdealPointPairs.class) {
            return new ObjectiveConfig.IdealPointPairs((IdealPointParams) params);
        }
        if (family == ObjectiveConfig.ProcessReward.class) {
            return new ObjectiveConfig.ProcessReward((ProcessRewardParams) params);
        }
        if (family == ObjectiveConfig.PreferenceEmbeddingPairs.class) {
            return new ObjectiveConfig.PreferenceEmbeddingPairs((GeneralPreferenceParams) params);
        }
        if (family == AutoregressiveRewardObjective.class) {
            return new ObjectiveConfig.AutoregressiveRewardPairs(
                    (AutoregressiveRewardObjective) params);
        }
        return new ObjectiveConfig.PolicyUnpaired((UnpairedObjective) params);
    }

    /** The configuration name of a loss record of the policy families beyond the DPO catalogue. */
    private static String nameOf(Object loss) {
        try {
            return (String) loss.getClass().getMethod("name").invoke(loss);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("objectives: no name() on " + loss.getClass(), e);
        }
    }

    private static void put(
            Map<String, Record> defaults,
            Map<String, Class<?>> family,
            String type,
            Object params,
            Class<?> fam) {
        defaults.put(type, (Record) params);
        family.put(type, fam);
    }

    /** The {@code defaults()} instance of a loss record, or its no-argument instance. */
    private static Object instance(Class<?> c) {
        try {
            try {
                return c.getMethod("defaults").invoke(null);
            } catch (NoSuchMethodException e) {
                return c.getDeclaredConstructor().newInstance();
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException i ? i.getCause() : e;
            throw new IllegalStateException(
                    "objectives: cannot instantiate defaults of " + c.getName(), cause);
        }
    }
}
