package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.SequenceBatch;
import dev.reward4j.core.data.SequenceCollator;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Weighted SFT with a token loss mask: the loss is the weighted NLL of the target tokens only, and
 * on a tiny Llama C-RLFT's class-conditioned, reward-weighted data and Chain-of-Hindsight sequences
 * teach the policy to prefer good responses when prompted with the good class tag or the positive
 * feedback, where plain SFT on the same mixed data prefers the bad ones. Tokens: 0 pad, 1 BOS, 2
 * EOS, 3..12 good, 13..22 bad, 24 and 25 the two class tags or feedback phrases.
 */
class WeightedNllStepTest {
    static final int GOOD_TAG = 24;
    static final int BAD_TAG = 25;

    static DecoderModel tiny(long seed) {
        DecoderModel m =
                DecoderModel.create(
                        ModelConfig.of(Architecture.LLAMA, 26, 32, 2, 4, 4, 64),
                        ModelHead.LM,
                        seed,
                        ModelOptions.defaults());
        m.setTrainable(true);
        return m;
    }

    static int[] body(Random r, boolean good) {
        int[] b = new int[3];
        for (int k = 0; k < 3; k++) {
            b[k] = good ? TinyTasks.good(r) : TinyTasks.bad(r);
        }
        return b;
    }

    static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** prompt + response + EOS with the response and EOS as targets. */
    static WeightedSequence sft(int[] prompt, int[] response, double weight, int i) {
        int[] ids = cat(prompt, response, new int[] {2});
        boolean[] target = new boolean[ids.length];
        Arrays.fill(target, prompt.length, ids.length, true);
        return new WeightedSequence("s" + i, ids, target, weight, Source.memory(i));
    }

    static SequenceBatch collate(List<WeightedSequence> s, NDManager m) {
        return new SequenceCollator(Padding.right(0)).collate(s, m);
    }

    static void train(DecoderModel model, List<WeightedSequence> data, int steps) {
        WeightedNllStep step = new WeightedNllStep(model);
        try (AdamW opt =
                new AdamW(
                        model.parameters(),
                        AdamWConfig.defaults().withWeightDecay(0),
                        model.manager())) {
            new TrainLoop<>(
                            new LoopParts<>(
                                    model.manager(),
                                    step,
                                    TinyTasks.source(data, 16, (ex, ids, m) -> collate(ex, m)),
                                    opt,
                                    new LrSchedule.Constant(3e-3, 0),
                                    new GlobalNormClip(1.0),
                                    LossScaler.none(),
                                    (p, s, v) -> {},
                                    null,
                                    null,
                                    LoopOptions.defaults().withMaxSteps(steps),
                                    new TrainerState(0, 0, 0, 1, null, 0)))
                    .run();
        }
    }

    /**
     * Share of held-out prompts (with {@code context} after the prompt) on which a good response is
     * more likely than a bad one.
     */
    static double prefersGood(DecoderModel model, int[] context, long seed) {
        Random r = new Random(seed);
        int n = 64;
        List<WeightedSequence> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = cat(new int[] {1, 3 + r.nextInt(20), 3 + r.nextInt(20)}, context);
            rows.add(sft(prompt, body(r, true), 1, i));
        }
        r = new Random(seed);
        for (int i = 0; i < n; i++) {
            int[] prompt = cat(new int[] {1, 3 + r.nextInt(20), 3 + r.nextInt(20)}, context);
            body(r, true); // keep the prompt stream aligned with the good rows
            rows.add(sft(prompt, body(new Random(seed * 31 + i), false), 1, n + i));
        }
        return Gradients.withGradModeOff(
                () -> {
                    try (NDManager m = model.manager().newSubManager();
                            SequenceBatch b = collate(rows, m)) {
                        NDArray lp = model.tokenLogps(b.inputIds(), b.attentionMask());
                        float[] s = lp.mul(b.targetMask()).sum(new int[] {1}).toFloatArray();
                        int wins = 0;
                        for (int i = 0; i < n; i++) {
                            wins += s[i] > s[n + i] ? 1 : 0;
                        }
                        return (double) wins / n;
                    }
                });
    }

    @Test
    void theLossIsTheWeightedNllOfTheTargetTokensPerTargetToken() {
        try (DecoderModel model = tiny(1);
                NDManager m = model.manager().newSubManager()) {
            List<WeightedSequence> rows =
                    List.of(
                            new WeightedSequence(
                                    "a",
                                    new int[] {1, 5, 24, 6, 25, 14, 2},
                                    new boolean[] {false, false, false, true, false, true, true},
                                    0.5,
                                    Source.memory(1)),
                            sft(new int[] {1, 4}, new int[] {7, 8}, 2.0, 2));
            try (SequenceBatch b = collate(rows, m)) {
                StepResult r =
                        new WeightedNllStep(model).compute(b, new StepContext(1, 0, 1, m, false));
                float[] lp = model.tokenLogps(b.inputIds(), b.attentionMask()).toFloatArray();
                int t = (int) b.inputIds().getShape().get(1);
                double[] w = {0.5, 2.0};
                double loss = 0;
                double nll = 0;
                float[] mask = b.targetMask().toFloatArray();
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < t; j++) {
                        loss -= w[i] * mask[i * t + j] * lp[i * t + j];
                        nll -= mask[i * t + j] * lp[i * t + j];
                    }
                }
                // feedback tokens 24 and 25 and the prompt are not in the loss: 3 + 3 targets
                assertEquals(6, r.units());
                assertEquals(loss, r.loss().getFloat(), 1e-4);
                assertEquals(nll / 6, r.metrics().mean(WeightedNllStep.NLL), 1e-5);
            }
        }
    }

    @Nested
    class Learning {
        @Test
        void cRlftPrefersGoodResponsesUnderTheExpertTagWherePlainSftPrefersBadOnes() {
            Random r = new Random(5);
            List<WeightedSequence> conditioned = new ArrayList<>();
            List<WeightedSequence> plain = new ArrayList<>();
            for (int i = 0; i < 512; i++) {
                boolean expert = i % 4 == 0; // 25% expert data, 75% sub-optimal
                int[] prompt = {1, 3 + r.nextInt(20), 3 + r.nextInt(20)};
                int[] response = body(r, expert);
                conditioned.add(
                        sft(
                                cat(prompt, new int[] {expert ? GOOD_TAG : BAD_TAG}),
                                response,
                                expert ? 1.0 : 0.1,
                                i));
                plain.add(sft(prompt, response, 1.0, i));
            }
            double crlft;
            double sft;
            long t0 = System.nanoTime();
            try (DecoderModel model = tiny(2)) {
                train(model, conditioned, 100);
                crlft = prefersGood(model, new int[] {GOOD_TAG}, 9);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (DecoderModel model = tiny(2)) {
                train(model, plain, 100);
                sft = prefersGood(model, new int[0], 9);
            }
            System.out.printf(
                    "learning: c-rlft good-over-bad under the expert tag %.3f (plain SFT on the"
                            + " same data %.3f) (%.1f s)%n",
                    crlft, sft, seconds);
            assertTrue(crlft >= 0.9, "c-rlft " + crlft);
            assertTrue(sft <= 0.5, "plain sft " + sft);
        }

        @Test
        void chainOfHindsightFollowsTheFeedbackItIsGiven() {
            Random r = new Random(6);
            List<WeightedSequence> data = new ArrayList<>();
            for (int i = 0; i < 512; i++) {
                int[] prompt = {1, 3 + r.nextInt(20), 3 + r.nextInt(20)};
                int[] good = body(r, true);
                int[] bad = body(r, false);
                boolean goodFirst = r.nextBoolean();
                int[][] parts =
                        goodFirst
                                ? new int[][] {{GOOD_TAG}, good, {BAD_TAG}, bad}
                                : new int[][] {{BAD_TAG}, bad, {GOOD_TAG}, good};
                int[] ids = cat(prompt, parts[0], parts[1], parts[2], parts[3], new int[] {2});
                boolean[] target = new boolean[ids.length];
                int at = prompt.length;
                for (int[] p : parts) {
                    boolean isResponse = p.length == 3;
                    Arrays.fill(target, at, at + p.length, isResponse);
                    at += p.length;
                }
                target[ids.length - 1] = true;
                data.add(new WeightedSequence("h" + i, ids, target, 1.0, Source.memory(i)));
            }
            long t0 = System.nanoTime();
            try (DecoderModel model = tiny(3)) {
                double before = prefersGood(model, new int[] {GOOD_TAG}, 11);
                train(model, data, 100);
                double positive = prefersGood(model, new int[] {GOOD_TAG}, 11);
                double negative = prefersGood(model, new int[] {BAD_TAG}, 11);
                System.out.printf(
                        "learning: chain-of-hindsight good-over-bad after the positive feedback"
                                + " %.3f -> %.3f, after the negative feedback %.3f (%.1f s)%n",
                        before, positive, negative, (System.nanoTime() - t0) / 1e9);
                assertTrue(positive >= 0.9, "after positive feedback " + positive);
                assertTrue(negative <= 0.1, "after negative feedback " + negative);
            }
        }
    }
}
