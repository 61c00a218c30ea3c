package dev.reward4j.trainers.arm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.synth.ArithmeticTask;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthConfig;
import dev.reward4j.core.synth.SynthPair;
import dev.reward4j.core.synth.SynthTokenizer;
import dev.reward4j.core.synth.SyntheticPreferences;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.losses.AutoregressiveRewardObjective.GenArm;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.inmemory.CyclingSource;
import dev.reward4j.trainers.inmemory.ShortRun;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.step.RewardPairsStep;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An autoregressive reward model (GenARM) trained on answer pairs ranks held-out pairs like a BT
 * reward model, and, what it exists for, gives next-token rewards on a partial response: after
 * {@code "compute a + b ." "answer"} its highest-reward next number is the correct sum.
 */
class AutoregressiveRewardLearningTest {
    static final double BETA_R = 1.0;
    static final ShortRun RUN = ShortRun.defaults().withSteps(500);

    @Test
    void genArmRanksPairsAndItsNextTokenRewardPicksTheCorrectAnswer(@TempDir Path dir) {
        ArithmeticTask task = ArithmeticTask.defaults();
        SyntheticPreferences gen =
                new SyntheticPreferences(
                        SynthConfig.defaults().withSeed(43).withTasks(List.of(task)));
        try (SynthText text = SynthText.of(dir, SynthTokenizer.vocabulary(List.of(task)))) {
            List<TokenizedPair> train =
                    text.pairs(
                            gen.pairs(Split.TRAIN, 0, 4096).stream()
                                    .map(SynthPair::toPreferencePair)
                                    .toList());
            List<SynthPair> heldOut =
                    gen.pairs(Split.HELD_OUT, 0, 400).stream()
                            .filter(p -> p.chosenReward() != p.rejectedReward())
                            .toList();
            List<TokenizedPair> test =
                    text.pairs(
                            heldOut.stream()
                                    .map(
                                            p ->
                                                    p.chosenReward() > p.rejectedReward()
                                                            ? p.toPreferencePair()
                                                            : p.toPreferencePair().swapped())
                                    .toList());
            PairCollator collator = new PairCollator(text.padding());
            double bt;
            try (DecoderModel model = TinyTraining.tiny(text.vocabSize(), ModelHead.REWARD, 47)) {
                RUN.train(
                        model.manager(),
                        model.parameters(),
                        new RewardPairsStep(model, RewardModelObjective.BradleyTerry.defaults()),
                        new CyclingSource<>(train, 32, collator::collate, 1, true),
                        null,
                        (p, s, v) -> {});
                bt =
                        accuracy(
                                model,
                                collator,
                                test,
                                b -> HostArrays.of(RewardPairsStep.rewards(model, b)));
            }
            try (DecoderModel arm = TinyTraining.tiny(text.vocabSize(), ModelHead.LM, 47)) {
                RUN.train(
                        arm.manager(),
                        arm.parameters(),
                        new AutoregressiveRewardPairsStep(arm, new GenArm(BETA_R)),
                        new CyclingSource<>(train, 32, collator::collate, 1, true),
                        null,
                        (p, s, v) -> {});
                AutoregressiveRewardScorer scorer = new AutoregressiveRewardScorer(arm, BETA_R);
                double pairAccuracy = accuracy(arm, collator, test, scorer::sequenceRewards);
                double nextToken = nextTokenAccuracy(arm, text.encoder(), scorer, task);
                System.out.printf(
                        "genarm: held-out pair accuracy %.4f (BT %.4f); next-token reward picks the"
                                + " correct sum after 'answer' in %.4f of the 25 prompts (%d steps"
                                + " each)%n",
                        pairAccuracy, bt, nextToken, RUN.steps());
                assertTrue(pairAccuracy >= 0.85, "pair accuracy " + pairAccuracy);
                assertTrue(pairAccuracy >= bt - 0.05, "ARM " + pairAccuracy + " vs BT " + bt);
                // the answer candidates are sum - 4 .. sum + 4 (up to 9): chance is about 1/8
                assertTrue(nextToken >= 0.6, "next-token accuracy " + nextToken);
            }
        }
    }

    /** Ground-truth pair accuracy of row rewards (chosen rows, then rejected rows). */
    static double accuracy(
            DecoderModel model,
            PairCollator collator,
            List<TokenizedPair> pairs,
            java.util.function.Function<PairBatch, double[]> rewards) {
        int right = 0;
        for (int s = 0; s < pairs.size(); s += 100) {
            List<TokenizedPair> chunk = pairs.subList(s, Math.min(pairs.size(), s + 100));
            try (NDManager m = model.manager().newSubManager();
                    PairBatch b = collator.collate(chunk, m)) {
                double[] r = Gradients.withGradModeOff(() -> rewards.apply(b));
                for (int i = 0; i < chunk.size(); i++) {
                    right += r[i] > r[chunk.size() + i] ? 1 : 0;
                }
            }
        }
        return (double) right / pairs.size();
    }

    /**
     * Over every prompt {@code compute a + b .} (a, b in 0..4), whether the highest next-token
     * reward after the partial response {@code answer}, among the answers the task writes for the
     * prompt ({@code a + b - 4 .. a + b + 4}), is {@code a + b}.
     */
    static double nextTokenAccuracy(
            DecoderModel arm,
            TextEncoder enc,
            AutoregressiveRewardScorer scorer,
            ArithmeticTask task) {
        int max = task.maxOperand();
        int n = (max + 1) * (max + 1);
        int[][] prefixes = new int[n][];
        int[] sums = new int[n];
        int width = 0;
        for (int a = 0, i = 0; a <= max; a++) {
            for (int b = 0; b <= max; b++, i++) {
                String prompt = "compute " + a + " + " + b + " .";
                TokenizedSequence s =
                        enc.assemble(
                                enc.prefixFor(prompt),
                                enc.encode(prompt, false),
                                enc.encode("answer", false),
                                false);
                prefixes[i] = s.ids();
                sums[i] = a + b;
                width = Math.max(width, s.length());
            }
        }
        int[] numberIds = new int[2 * max + 5];
        for (int v = 0; v < numberIds.length; v++) {
            numberIds[v] = enc.encode(Integer.toString(v), false)[0];
        }
        long[] ids = new long[n * width];
        long[] mask = new long[n * width];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < prefixes[i].length; t++) {
                ids[i * width + t] = prefixes[i][t];
                mask[i * width + t] = 1;
            }
        }
        int right = 0;
        try (NDManager m = arm.manager().newSubManager()) {
            NDArray idArray = m.create(ids, new Shape(n, width));
            NDArray maskArray = m.create(mask, new Shape(n, width));
            double[][] r = scorer.nextTokenRewards(idArray, maskArray);
            for (int i = 0; i < n; i++) {
                // candidates: the answers the task writes for this prompt, sum - 4 .. sum + 4
                int best = -1;
                for (int v = Math.max(0, sums[i] - 4); v <= sums[i] + 4; v++) {
                    best = best < 0 || r[i][numberIds[v]] > r[i][numberIds[best]] ? v : best;
                }
                right += best == sums[i] ? 1 : 0;
            }
        }
        return (double) right / n;
    }
}
