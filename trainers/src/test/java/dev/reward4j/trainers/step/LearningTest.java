package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.UnpairedBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Objectives learn their synthetic rule on CPU in seconds (tiny Llama, batches built directly).
 *
 * <p>If one of these fails with "non-finite gradient (norm Infinity)" at a random step, suspect the
 * DJL scalar use-after-free (README, "Known limits"): a {@code mul(Number)} inside the model or a
 * loss whose scalar was freed by the garbage collector before backward. The loop's guard is
 * reporting real gradient corruption.
 */
class LearningTest {

    static <B extends AutoCloseable> LoopResult train(
            DecoderModel model,
            TrainingStep<B> objective,
            BatchSource<B> source,
            List<Function<NDManager, B>> heldOut,
            long steps,
            double lr) {
        try (AdamW opt =
                new AdamW(
                        model.parameters(),
                        AdamWConfig.defaults().withWeightDecay(0),
                        model.manager())) {
            LoopParts<B> parts =
                    new LoopParts<>(
                            model.manager(),
                            objective,
                            source,
                            opt,
                            new LrSchedule.Cosine(lr, 10, steps, 0.1),
                            new GlobalNormClip(1.0),
                            LossScaler.none(),
                            (p, s, v) -> {},
                            new StepEvaluator<>(objective, heldOut, model.manager()),
                            null,
                            LoopOptions.defaults().withMaxSteps(steps),
                            new TrainerState(0, 0, 0, 1, null, 0));
            return new TrainLoop<>(parts).run();
        }
    }

    static DecoderModel tiny(ModelHead head, long seed) {
        DecoderModel m =
                DecoderModel.create(TinyTasks.tinyLlama(), head, seed, ModelOptions.defaults());
        m.setTrainable(true);
        return m;
    }

    @Nested
    class RewardModel {
        @Test
        void aTinyRewardModelFromScratchReachesNinetyPercentHeldOutAccuracy() {
            List<Seq[]> train = TinyTasks.rmPairs(2048, 1);
            List<Seq[]> test = TinyTasks.rmPairs(256, 2);
            try (DecoderModel model = tiny(ModelHead.REWARD, 3)) {
                TrainingStep<PairBatch> objective =
                        new RewardPairsStep(model, RewardModelObjective.BradleyTerry.defaults());
                LoopResult s =
                        train(
                                model,
                                objective,
                                TinyTasks.source(train, 32, TinyTasks::pairBatch),
                                TinyTasks.heldOut(test, 64, TinyTasks::pairBatch),
                                300,
                                3e-3);
                double acc = s.lastEval().get(MetricNames.ACCURACY);
                System.out.printf(
                        "learning: BT reward model held-out accuracy %.4f after %d steps (%.1f"
                                + " s)%n",
                        acc, s.steps(), s.seconds());
                assertTrue(acc >= 0.90, "held-out accuracy " + acc);
            }
        }
    }

    @Nested
    class Dpo {
        @Test
        void dpoRaisesImplicitRewardAccuracyAndMargin() {
            List<Seq[]> train = TinyTasks.policyPairs(512, 4);
            List<Seq[]> test = TinyTasks.policyPairs(128, 5);
            try (DecoderModel policy = tiny(ModelHead.LM, 6);
                    DecoderModel refModel =
                            DecoderModel.create(
                                    TinyTasks.tinyLlama(),
                                    ModelHead.LM,
                                    6,
                                    ModelOptions.defaults())) {
                FrozenReference ref = new FrozenReference(refModel);
                TrainingStep<PairBatch> objective =
                        new PolicyPairsStep(policy, PairwisePolicyObjective.Dpo.defaults(), ref);
                List<Function<NDManager, PairBatch>> heldOut =
                        TinyTasks.heldOut(test, 64, TinyTasks::pairBatch);
                Map<String, Double> before =
                        new StepEvaluator<>(objective, heldOut, policy.manager()).evaluate(0);
                LoopResult s =
                        train(
                                policy,
                                objective,
                                TinyTasks.source(train, 16, TinyTasks::pairBatch),
                                heldOut,
                                120,
                                2e-3);
                Map<String, Double> after = s.lastEval();
                System.out.printf(
                        "learning: DPO accuracy %.3f -> %.3f, margin %.4f -> %.4f, loss %.4f ->"
                                + " %.4f (%.1f s)%n",
                        before.get(MetricNames.ACCURACY),
                        after.get(MetricNames.ACCURACY),
                        before.get(MetricNames.MARGIN),
                        after.get(MetricNames.MARGIN),
                        before.get("loss"),
                        after.get("loss"),
                        s.seconds());
                assertTrue(
                        Math.abs(before.get("loss") - Math.log(2)) < 1e-6,
                        "policy == reference gives log 2: " + before.get("loss"));
                assertTrue(
                        after.get(MetricNames.ACCURACY) > before.get(MetricNames.ACCURACY) + 0.3,
                        after.toString());
                assertTrue(
                        after.get(MetricNames.MARGIN) > before.get(MetricNames.MARGIN) + 0.5,
                        after.toString());
            }
        }
    }

    @Nested
    class Kto {
        @Test
        void ktoLowersItsLossAndImprovesAccuracy() {
            List<Seq> rows = new ArrayList<>();
            List<Boolean> desirable = new ArrayList<>();
            for (Seq[] p : TinyTasks.policyPairs(512, 7)) {
                boolean goodFirst = rows.size() % 4 == 0;
                rows.add(goodFirst ? p[0] : p[1]);
                desirable.add(goodFirst);
            }
            List<Object[]> train = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                train.add(new Object[] {rows.get(i), desirable.get(i)});
            }
            List<Object[]> test = train.subList(0, 0);
            List<Object[]> held = new ArrayList<>();
            int i = 0;
            for (Seq[] p : TinyTasks.policyPairs(128, 8)) {
                held.add(new Object[] {i % 2 == 0 ? p[0] : p[1], i % 2 == 0});
                i++;
            }
            TinyTasks.BatchMaker<Object[], UnpairedBatch> maker =
                    (ex, ids, m) -> {
                        List<Seq> s = new ArrayList<>();
                        List<Boolean> d = new ArrayList<>();
                        ex.forEach(
                                e -> {
                                    s.add((Seq) e[0]);
                                    d.add((Boolean) e[1]);
                                });
                        return TinyTasks.unpairedBatch(s, d, ids, m);
                    };
            try (DecoderModel policy = tiny(ModelHead.LM, 9);
                    DecoderModel refModel =
                            DecoderModel.create(
                                    TinyTasks.tinyLlama(),
                                    ModelHead.LM,
                                    9,
                                    ModelOptions.defaults())) {
                TrainingStep<UnpairedBatch> objective =
                        new PolicyUnpairedStep(
                                policy,
                                UnpairedObjective.Kto.defaults(),
                                new FrozenReference(refModel));
                List<Function<NDManager, UnpairedBatch>> heldOut =
                        TinyTasks.heldOut(held, 64, maker);
                Map<String, Double> before =
                        new StepEvaluator<>(objective, heldOut, policy.manager()).evaluate(0);
                LoopResult s =
                        train(
                                policy,
                                objective,
                                TinyTasks.source(train, 16, maker),
                                heldOut,
                                120,
                                2e-3);
                Map<String, Double> after = s.lastEval();
                System.out.printf(
                        "learning: KTO loss %.4f -> %.4f, accuracy %.3f -> %.3f (%.1f s)%n",
                        before.get("loss"),
                        after.get("loss"),
                        before.get(MetricNames.ACCURACY),
                        after.get(MetricNames.ACCURACY),
                        s.seconds());
                assertTrue(after.get("loss") < before.get("loss") - 0.05, after.toString());
                assertTrue(
                        after.get(MetricNames.ACCURACY) > before.get(MetricNames.ACCURACY) + 0.3,
                        after.toString());
                assertTrue(test.isEmpty());
            }
        }
    }

    @Nested
    class Listwise {
        @Test
        void aPlackettLuceRewardModelLowersItsLossAndImprovesNdcg() {
            List<Seq[]> train = TinyTasks.lists(1024, 4, 10);
            List<Seq[]> test = TinyTasks.lists(128, 4, 11);
            try (DecoderModel model = tiny(ModelHead.REWARD, 12)) {
                TrainingStep<ListBatch> objective =
                        new RewardListsStep(model, new ListwiseObjective.PlackettLuce());
                List<Function<NDManager, ListBatch>> heldOut =
                        TinyTasks.heldOut(test, 32, TinyTasks::listBatch);
                Map<String, Double> before =
                        new StepEvaluator<>(objective, heldOut, model.manager()).evaluate(0);
                LoopResult s =
                        train(
                                model,
                                objective,
                                TinyTasks.source(train, 8, TinyTasks::listBatch),
                                heldOut,
                                200,
                                3e-3);
                Map<String, Double> after = s.lastEval();
                String ndcg = MetricNames.ndcgAt(4);
                System.out.printf(
                        "learning: Plackett-Luce RM loss %.4f -> %.4f, ndcg@4 %.3f -> %.3f, kendall"
                                + " %.3f -> %.3f (%.1f s)%n",
                        before.get("loss"),
                        after.get("loss"),
                        before.get(ndcg),
                        after.get(ndcg),
                        before.get(MetricNames.KENDALL_TAU),
                        after.get(MetricNames.KENDALL_TAU),
                        s.seconds());
                assertTrue(after.get("loss") < before.get("loss") - 0.3, after.toString());
                assertTrue(after.get(ndcg) > before.get(ndcg) + 0.05, after.toString());
                assertTrue(after.get(MetricNames.KENDALL_TAU) > 0.5, after.toString());
            }
        }
    }
}
