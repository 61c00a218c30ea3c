package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.data.PackedBatch;
import dev.reward4j.core.data.Packer;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PackedRewardPairsStepTest {
    static final int ROW = 24;

    /**
     * {@code n} pairs of 3..12 tokens (several fit one 24-token row), weights in [0.5, 1.5), margin
     * from {@code aux}.
     */
    static List<TokenizedPair> pairs(int n, long seed, IntFunction<OptionalDouble> aux) {
        Random r = new Random(seed);
        List<TokenizedPair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = new int[1 + r.nextInt(3)];
            prompt[0] = 1;
            for (int j = 1; j < prompt.length; j++) {
                prompt[j] = 3 + r.nextInt(20);
            }
            out.add(
                    new TokenizedPair(
                            "p" + i,
                            seq(prompt, r),
                            seq(prompt, r),
                            aux.apply(i),
                            0.5 + r.nextDouble(),
                            Source.memory(i)));
        }
        return out;
    }

    private static TokenizedSequence seq(int[] prompt, Random r) {
        int[] ids = java.util.Arrays.copyOf(prompt, prompt.length + 2 + r.nextInt(8));
        for (int j = prompt.length; j < ids.length; j++) {
            ids[j] = 3 + r.nextInt(20);
        }
        return new TokenizedSequence(ids, prompt.length);
    }

    /** One training step's loss, units, metric means and parameter gradients. */
    record Step(
            double loss, double units, Map<String, Double> metrics, Map<String, float[]> grads) {}

    static <B> Step step(
            DecoderModel model,
            dev.reward4j.trainers.loop.TrainingStep<B> objective,
            B batch,
            NDManager m) {
        Gradients.zero(model.parameters().values());
        StepResult result;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            result = objective.compute(batch, new StepContext(1, 0, 1, m, true));
            gc.backward(result.loss());
        }
        Map<String, float[]> grads = new LinkedHashMap<>();
        model.parameters()
                .forEach(
                        (name, p) -> {
                            try (NDArray g = p.getGradient()) {
                                grads.put(name, g.toFloatArray());
                            }
                        });
        return new Step(
                HostArrays.sum(result.loss()), result.units(), result.metrics().means(), grads);
    }

    static void assertSameStep(RewardModelObjective loss, List<TokenizedPair> pairs) {
        try (DecoderModel model = LearningTest.tiny(ModelHead.REWARD, 7);
                NDManager m = model.manager().newSubManager()) {
            PairBatch padded = new PairCollator(Padding.right(0)).collate(pairs, m);
            PackedBatch packed = new Packer(ROW, 0).packPairs(pairs, m);
            assertTrue(
                    packed.inputIds().getShape().get(0) < 2L * pairs.size(),
                    "several sequences share a row");
            Step a = step(model, new RewardPairsStep(model, loss), padded, m);
            Step b = step(model, new PackedRewardPairsStep(model, loss), packed, m);
            String what = loss.name() + ": ";
            assertEquals(a.loss(), b.loss(), 1e-5, what + "loss");
            assertEquals(a.units(), b.units(), 1e-9, what + "units (sum of pair weights)");
            assertEquals(a.metrics().keySet(), b.metrics().keySet(), what + "metric names");
            assertTrue(
                    a.metrics().containsKey("rewards/accuracies")
                            && a.metrics().containsKey("rewards/margins"),
                    a.metrics().toString());
            a.metrics().forEach((k, v) -> assertEquals(v, b.metrics().get(k), 1e-5, what + k));
            double maxGrad = 0;
            double maxDiff = 0;
            for (String name : a.grads().keySet()) {
                float[] ga = a.grads().get(name);
                float[] gb = b.grads().get(name);
                for (int i = 0; i < ga.length; i++) {
                    maxGrad = Math.max(maxGrad, Math.abs(ga[i]));
                    maxDiff = Math.max(maxDiff, Math.abs(ga[i] - gb[i]));
                    assertEquals(ga[i], gb[i], 1e-5, what + "gradient of " + name + "[" + i + "]");
                }
            }
            assertTrue(maxGrad > 1e-4, what + "gradients are not all zero (" + maxGrad + ")");
            System.out.printf(
                    "packed vs padded %s: |loss diff| %.2g, max |grad diff| %.2g (max |grad|"
                            + " %.2g)%n",
                    loss.name(), Math.abs(a.loss() - b.loss()), maxDiff, maxGrad);
        }
    }

    @Nested
    class SameStepAsPadded {
        @Test
        void btWithoutMargins() {
            assertSameStep(
                    RewardModelObjective.BradleyTerry.defaults(),
                    pairs(6, 1, i -> OptionalDouble.empty()));
        }

        @Test
        void btWithMarginsLabelSmoothingAndCentering() {
            assertSameStep(
                    new RewardModelObjective.BradleyTerry(0.1, 0.01),
                    pairs(6, 2, i -> OptionalDouble.of(0.25 * i)));
        }

        @Test
        void btDirectReward() {
            assertSameStep(
                    RewardModelObjective.BtDirectReward.defaults(),
                    pairs(5, 3, i -> OptionalDouble.empty()));
        }

        @Test
        void scaledBtWithStrengths() {
            assertSameStep(
                    new RewardModelObjective.ScaledBt(),
                    pairs(6, 4, i -> OptionalDouble.of(0.5 + i)));
        }

        @Test
        void softBtWithTargetProbabilities() {
            assertSameStep(
                    new RewardModelObjective.SoftLabelBt(),
                    pairs(6, 5, i -> OptionalDouble.of(0.55 + 0.07 * i)));
        }

        @Test
        void raoKupperWithTies() {
            assertSameStep(
                    RewardModelObjective.RaoKupper.defaults(),
                    pairs(6, 6, i -> OptionalDouble.of(i % 3 == 0 ? 1 : 0)));
        }
    }
}
