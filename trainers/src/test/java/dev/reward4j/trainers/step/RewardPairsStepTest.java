package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.testing.NativeMemory;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RewardPairsStepTest {
    @Nested
    class Accumulation {
        @Test
        void oneTwoAndFourMicroBatchesOfATinyLlamaGiveTheSameLossGradNormMetricsAndWeights() {
            List<Seq[]> pairs =
                    TinyTasks.rmPairs(64, 21); // variable lengths: micro-batches pad to different T
            int[] micro = {1, 2, 4};
            List<List<Map<String, Double>>> logs = new ArrayList<>();
            List<float[]> weights = new ArrayList<>();
            for (int k : micro) {
                List<Map<String, Double>> log = new ArrayList<>();
                try (DecoderModel model = LearningTest.tiny(ModelHead.REWARD, 22);
                        AdamW opt =
                                new AdamW(
                                        model.parameters(),
                                        AdamWConfig.defaults(),
                                        model.manager())) {
                    new TrainLoop<PairBatch>(
                                    new LoopParts<>(
                                            model.manager(),
                                            new RewardPairsStep(
                                                    model,
                                                    RewardModelObjective.BradleyTerry.defaults()),
                                            TinyTasks.source(pairs, 16 / k, TinyTasks::pairBatch),
                                            opt,
                                            new LrSchedule.Constant(1e-3, 0),
                                            new GlobalNormClip(1.0),
                                            LossScaler.none(),
                                            (p, s, v) -> log.add(v),
                                            null,
                                            null,
                                            LoopOptions.defaults()
                                                    .withMaxSteps(3)
                                                    .withMicroSteps(k),
                                            new TrainerState(0, 0, 0, 0, null, 0)))
                            .run();
                    NDArray w = model.parameters().get("score.weight");
                    weights.add(w.toFloatArray());
                }
                logs.add(log);
            }
            double maxDiff = 0;
            for (int i = 1; i < micro.length; i++) {
                for (int s = 0; s < 3; s++) {
                    for (String key :
                            List.of(
                                    "loss",
                                    "grad_norm",
                                    "rewards/accuracies",
                                    "rewards/margins",
                                    "rewards/chosen",
                                    "rewards/all_std")) {
                        double a = logs.get(0).get(s).get(key);
                        double b = logs.get(i).get(s).get(key);
                        maxDiff = Math.max(maxDiff, Math.abs(a - b));
                        assertEquals(
                                a,
                                b,
                                1e-5,
                                key
                                        + " at step "
                                        + (s + 1)
                                        + " with "
                                        + micro[i]
                                        + " micro-batches");
                    }
                }
                for (int j = 0; j < weights.get(0).length; j++) {
                    assertEquals(
                            weights.get(0)[j],
                            weights.get(i)[j],
                            1e-6,
                            "score.weight[" + j + "] with " + micro[i] + " micro-batches");
                }
            }
            System.out.printf(
                    "accumulation: max metric difference 1 vs 2 vs 4 micro-batches = %.3g%n",
                    maxDiff);
        }
    }

    @Nested
    class Memory {
        @Test
        void fiveHundredTinyLlamaStepsKeepArraysAndResidentMemoryFlat() throws Exception {
            List<Seq[]> pairs = TinyTasks.rmPairs(256, 31);
            try (DecoderModel model = LearningTest.tiny(ModelHead.REWARD, 32);
                    AdamW opt =
                            new AdamW(
                                    model.parameters(), AdamWConfig.defaults(), model.manager())) {
                var source = TinyTasks.source(pairs, 16, TinyTasks::pairBatch);
                var objective =
                        new RewardPairsStep(model, RewardModelObjective.BradleyTerry.defaults());
                long[] arrays = new long[2];
                long[] nativeKib = new long[11];
                for (int w = 0; w < nativeKib.length; w++) {
                    long from = w == 0 ? 0 : 50 + 50L * (w - 1);
                    new TrainLoop<PairBatch>(
                                    new LoopParts<>(
                                            model.manager(),
                                            objective,
                                            source,
                                            opt,
                                            new LrSchedule.Constant(1e-4, 0),
                                            new GlobalNormClip(1.0),
                                            LossScaler.none(),
                                            (p, s, v) -> {},
                                            null,
                                            null,
                                            LoopOptions.defaults()
                                                    .withMaxSteps(50 + 50L * w)
                                                    .withMicroSteps(2),
                                            new TrainerState(
                                                    from,
                                                    source.position().epoch(),
                                                    source.position().index(),
                                                    0,
                                                    null,
                                                    0)))
                            .run();
                    if (w == 0) {
                        arrays[0] = model.manager().getManagedArrays().size();
                    }
                    nativeKib[w] = NativeMemory.nativeKib();
                }
                arrays[1] = model.manager().getManagedArrays().size();
                double growth = NativeMemory.growthPerStepKib(nativeKib, 50);
                System.out.printf(
                        "memory: model-manager arrays %d -> %d, native %s, trend %.2f KiB/step over"
                                + " 500 tiny-Llama steps%n",
                        arrays[0], arrays[1], NativeMemory.describe(nativeKib), growth);
                assertEquals(arrays[0], arrays[1], "arrays attached to the model manager");
                // leaking one micro-step's activations (hundreds of KiB here) would be far above
                org.junit.jupiter.api.Assertions.assertTrue(
                        growth < 64,
                        "native memory grows "
                                + growth
                                + " KiB/step: "
                                + NativeMemory.describe(nativeKib));
            }
        }
    }
}
