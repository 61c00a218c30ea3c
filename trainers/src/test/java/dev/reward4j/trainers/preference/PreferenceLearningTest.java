package dev.reward4j.trainers.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.RewardConsistency;
import dev.reward4j.core.data.TripleBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.AbsoluteLikelihoodObjective;
import dev.reward4j.losses.JointPairObjective;
import dev.reward4j.losses.LabeledPairObjective;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.losses.TriplePreferenceObjective;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.reference.FrozenReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every objective of this package raises its implicit-reward accuracy on held-out pairs of a tiny
 * Llama (CPU, seconds each): the chosen response has good tokens, the rejected one bad tokens.
 */
class PreferenceLearningTest {
    static final int STEPS = 100;

    static Tiny.Run pairs(
            String name,
            DecoderModel policy,
            Map<String, NDArray> extra,
            TrainingStep<PairBatch> objective,
            List<Tiny.Pair> train,
            List<Tiny.Pair> test,
            double lr) {
        Tiny.Run run =
                Tiny.train(
                        policy,
                        extra,
                        objective,
                        Tiny.source(train, 16, Tiny::pairBatch),
                        Tiny.heldOut(test, 64, Tiny::pairBatch),
                        STEPS,
                        lr);
        report(name, run);
        return run;
    }

    static void report(String name, Tiny.Run run) {
        System.out.printf(
                "learning: %-22s accuracy %.3f -> %.3f, margin %.4f -> %.4f, loss %.4f -> %.4f"
                        + " (%.1f s)%n",
                name,
                run.before().get(MetricNames.ACCURACY),
                run.after().get(MetricNames.ACCURACY),
                run.before().get(MetricNames.MARGIN),
                run.after().get(MetricNames.MARGIN),
                run.before().get("loss"),
                run.after().get("loss"),
                run.seconds());
    }

    /** Accuracy rises by at least 0.3 and ends at 0.9 or more. */
    static void learned(Tiny.Run run) {
        double a0 = run.before().get(MetricNames.ACCURACY);
        double a1 = run.after().get(MetricNames.ACCURACY);
        assertTrue(a1 >= 0.9 && a1 >= a0 + 0.3, "accuracy " + a0 + " -> " + a1 + " " + run.after());
        assertTrue(run.after().get("loss") < run.before().get("loss"), run.after().toString());
    }

    @Nested
    class TokenLevel {
        Tiny.Run token(String name, TokenPreferenceObjective loss, boolean learnedMask, int chunk) {
            try (DecoderModel policy = Tiny.model(6, true);
                    DecoderModel ref = Tiny.model(6, false)) {
                TokenMaskSource masks =
                        loss instanceof TokenPreferenceObjective.SparsePo
                                ? (learnedMask
                                        ? TokenMaskSource.Learned.create(policy, 1)
                                        : new TokenMaskSource.ReferenceActivations())
                                : null;
                TokenPairsStep o = new TokenPairsStep(policy, ref, loss, masks, chunk);
                Tiny.Run run =
                        pairs(
                                name,
                                policy,
                                masks == null ? Map.of() : masks.parameters(),
                                o,
                                Tiny.pairs(512, 4),
                                Tiny.pairs(128, 5),
                                2e-3);
                if (!learnedMask) {
                    // policy == reference: rho = 0 and every token KL = 0, so -log sigma(0)
                    assertEquals(Math.log(2), run.before().get("loss"), 1e-6, name);
                }
                return run;
            }
        }

        @Test
        void tdpo1() {
            learned(token("tdpo1", new TokenPreferenceObjective.Tdpo1(0.1), false, 4));
        }

        @Test
        void tdpo2() {
            learned(token("tdpo2", TokenPreferenceObjective.Tdpo2.defaults(), false, 4));
        }

        @Test
        void sparsePoWithReferenceActivationMasks() {
            learned(
                    token(
                            "sparse-po(reference)",
                            new TokenPreferenceObjective.SparsePo(0.2),
                            false,
                            4));
        }

        @Test
        void sparsePoWithLearnedMasks() {
            learned(
                    token(
                            "sparse-po(learned)",
                            new TokenPreferenceObjective.SparsePo(0.2),
                            true,
                            4));
        }
    }

    @Nested
    class SequenceLevel {
        @Test
        void jpoOnPairsWithDifferentPrompts() {
            try (DecoderModel policy = Tiny.model(6, true);
                    DecoderModel ref = Tiny.model(6, false)) {
                TrainingStep<PairBatch> o =
                        PairVariantsStep.joint(
                                policy,
                                JointPairObjective.Jpo.defaults(),
                                new FrozenReference(ref));
                learned(
                        pairs(
                                "jpo",
                                policy,
                                Map.of(),
                                o,
                                Tiny.jointPairs(512, 7),
                                Tiny.jointPairs(128, 8),
                                2e-3));
            }
        }

        Tiny.Run labeled(String name, LabeledPairObjective loss, Tiny.LabelRule rule) {
            try (DecoderModel policy = Tiny.model(6, true);
                    DecoderModel ref = Tiny.model(6, false)) {
                TrainingStep<PairBatch> o =
                        PairVariantsStep.labeled(
                                policy, loss, new FrozenReference(ref), LabelSource.margin());
                return pairs(
                        name,
                        policy,
                        Map.of(),
                        o,
                        Tiny.labeled(512, 9, rule),
                        Tiny.labeled(128, 10, rule),
                        2e-3);
            }
        }

        @Test
        void softPreferenceWithPreferenceStrengths() {
            // p grows with the good-token gap: 0.75 .. 1
            learned(
                    labeled(
                            "soft-preference",
                            LabeledPairObjective.SoftPreference.defaults(),
                            (gc, gr, r) ->
                                    0.5
                                            + 0.5
                                                    * Math.min(
                                                            1,
                                                            (gc - gr) / 3.0
                                                                    + 0.5 * r.nextDouble())));
        }

        @Test
        void irepoOnEmpiricalPreferences() {
            // share of 10 simulated annotators preferring chosen, each right with probability 0.9
            learned(
                    labeled(
                            "irepo",
                            LabeledPairObjective.Irepo.defaults(),
                            (gc, gr, r) -> {
                                int votes = 0;
                                for (int k = 0; k < 10; k++) {
                                    votes += r.nextDouble() < 0.9 ? 1 : 0;
                                }
                                return votes / 10.0;
                            }));
        }

        @Test
        void mmDpoWithRewardMargins() {
            learned(
                    labeled(
                            "mm-dpo",
                            LabeledPairObjective.DynamicBetaDpo.defaults(),
                            (gc, gr, r) -> gc - gr));
        }

        @Test
        void creamWithConsistencyOfTwoRewardSources() {
            // source A: the true good-token counts; source B: a noisy judge that flips 20% of pairs
            learned(
                    labeled(
                            "cream",
                            LabeledPairObjective.ConsistencyDpo.defaults(),
                            (gc, gr, r) -> {
                                double[] a = {gc, gr};
                                double[] b =
                                        r.nextDouble() < 0.2
                                                ? new double[] {gr, gc}
                                                : new double[] {gc + r.nextGaussian() * 0.1, gr};
                                return RewardConsistency.rate(a, b);
                            }));
        }

        Tiny.Run absolute(String name, AbsoluteLikelihoodObjective loss) {
            try (DecoderModel policy = Tiny.model(6, true)) {
                return pairs(
                        name,
                        policy,
                        Map.of(),
                        PairVariantsStep.absolute(policy, loss),
                        Tiny.pairs(512, 11),
                        Tiny.pairs(128, 12),
                        2e-3);
            }
        }

        @Test
        void asft() {
            learned(absolute("asft", AbsoluteLikelihoodObjective.Asft.defaults()));
        }

        @Test
        void mapo() {
            learned(absolute("mapo", AbsoluteLikelihoodObjective.Mapo.defaults()));
        }
    }

    @Nested
    class Triples {
        Tiny.Run triples(String name, TriplePreferenceObjective loss) {
            try (DecoderModel policy = Tiny.model(6, true)) {
                TrainingStep<TripleBatch> o = new TriplesStep(policy, loss);
                Tiny.Run run =
                        Tiny.train(
                                policy,
                                Map.of(),
                                o,
                                Tiny.source(Tiny.triples(512, 13), 16, Tiny::tripleBatch),
                                Tiny.heldOut(Tiny.triples(128, 14), 64, Tiny::tripleBatch),
                                STEPS,
                                2e-3);
                report(name, run);
                assertTrue(
                        run.after().get(TriplesStep.GOLD_NLL)
                                < run.before().get(TriplesStep.GOLD_NLL) - 0.5,
                        "gold NLL falls: " + run.after());
                return run;
            }
        }

        @Test
        void tpo() {
            learned(triples("tpo", TriplePreferenceObjective.Tpo.defaults()));
        }

        @Test
        void tpoLengthNormalized() {
            learned(triples("tpo-l", TriplePreferenceObjective.TpoLengthNormalized.defaults()));
        }
    }
}
