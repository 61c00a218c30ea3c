package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.transform.RewardAugmentation;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DPO on reward-augmented data ({@link RewardAugmentation}) learns a goal-conditioned policy: pairs
 * of a good response (score 24) and a bad one (score 25 is the low score's token; the goal
 * "{score}" becomes one token in front of the prompt) are relabelled into a pair preferring the
 * good response under the high goal and one preferring the bad response under the low goal. After
 * training, the policy prefers the good response under the high goal and the bad one under the low
 * goal (the texts hold token ids, so the test runs the real transform).
 */
class RewardAugmentedDpoTest {
    static final int HIGH = 24;
    static final int LOW = 25;

    static String text(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            b.append(b.length() == 0 ? "" : " ").append(id);
        }
        return b.toString();
    }

    static int[] ids(Text t) {
        return Arrays.stream(((PlainText) t).text().trim().split("\\s+"))
                .mapToInt(Integer::parseInt)
                .toArray();
    }

    static Seq[] seqs(PreferencePair p) {
        int[] prompt = ids(p.prompt());
        int[] c = ids(p.chosen());
        int[] r = ids(p.rejected());
        int[] a = Arrays.copyOf(prompt, prompt.length + c.length);
        System.arraycopy(c, 0, a, prompt.length, c.length);
        int[] b = Arrays.copyOf(prompt, prompt.length + r.length);
        System.arraycopy(r, 0, b, prompt.length, r.length);
        return new Seq[] {new Seq(a, prompt.length), new Seq(b, prompt.length)};
    }

    /** Pairs (good, bad) relabelled: the goal token goes in front of the prompt. */
    static List<Seq[]> relabelled(int n, long seed, RewardAugmentation ra) {
        List<Seq[]> out = new ArrayList<>();
        for (Seq[] p : TinyTasks.policyPairs(n, seed)) {
            int len = p[0].promptLength();
            PreferencePair pair =
                    PreferencePair.of(
                            "p",
                            new PlainText(text(Arrays.copyOf(p[0].ids(), len))),
                            new PlainText(
                                    text(Arrays.copyOfRange(p[0].ids(), len, p[0].ids().length))),
                            new PlainText(
                                    text(Arrays.copyOfRange(p[1].ids(), len, p[1].ids().length))),
                            Source.memory(0));
            ra.relabel(pair, HIGH, LOW, r -> {}).forEach(q -> out.add(seqs(q)));
        }
        return out;
    }

    /** Held-out (good, bad) pairs with the goal {@code goal} in front of the prompt. */
    static List<Seq[]> goal(int n, long seed, int goal) {
        List<Seq[]> out = new ArrayList<>();
        for (Seq[] p : TinyTasks.policyPairs(n, seed)) {
            Seq[] q = new Seq[2];
            for (int k = 0; k < 2; k++) {
                int[] ids = new int[p[k].ids().length + 1];
                ids[0] = goal;
                System.arraycopy(p[k].ids(), 0, ids, 1, p[k].ids().length);
                q[k] = new Seq(ids, p[k].promptLength() + 1);
            }
            out.add(q);
        }
        return out;
    }

    @Test
    void dpoOnRelabelledPairsLearnsTheGoalConditionedPreference() {
        RewardAugmentation ra = new RewardAugmentation("{score}", "a", "b");
        List<Seq[]> train = relabelled(256, 21, ra);
        assertEquals(512, train.size());
        ModelConfig config = ModelConfig.of(Architecture.LLAMA, 26, 32, 2, 4, 4, 64);
        try (DecoderModel policy =
                        DecoderModel.create(config, ModelHead.LM, 6, ModelOptions.defaults());
                DecoderModel ref =
                        DecoderModel.create(config, ModelHead.LM, 6, ModelOptions.defaults())) {
            policy.setTrainable(true);
            TrainingStep<PairBatch> step =
                    new PolicyPairsStep(
                            policy,
                            PairwisePolicyObjective.Dpo.defaults(),
                            new FrozenReference(ref));
            LoopResult r =
                    LearningTest.train(
                            policy,
                            step,
                            TinyTasks.source(train, 16, TinyTasks::pairBatch),
                            TinyTasks.heldOut(goal(64, 22, HIGH), 64, TinyTasks::pairBatch),
                            120,
                            2e-3);
            double high = r.lastEval().get(MetricNames.ACCURACY);
            double low =
                    new StepEvaluator<>(
                                    step,
                                    TinyTasks.heldOut(goal(64, 22, LOW), 64, TinyTasks::pairBatch),
                                    policy.manager())
                            .evaluate(120)
                            .get(MetricNames.ACCURACY);
            System.out.printf(
                    "learning: reward-augmented DPO good-over-bad accuracy under the high goal"
                            + " %.3f, under the low goal %.3f (%.1f s)%n",
                    high, low, r.seconds());
            assertTrue(high >= 0.9, "high goal " + high);
            assertTrue(low <= 0.1, "low goal " + low);
        }
    }
}
