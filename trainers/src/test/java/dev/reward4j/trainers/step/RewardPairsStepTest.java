package dev.reward4j.trainers.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
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
                                    "accuracy",
                                    "rewards/margin",
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
                long[] rss = new long[2];
                for (int phase = 0; phase < 2; phase++) {
                    long steps = phase == 0 ? 50 : 550;
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
                                                    .withMaxSteps(steps)
                                                    .withMicroSteps(2),
                                            new TrainerState(
                                                    phase == 0 ? 0 : 50,
                                                    source.position().epoch(),
                                                    source.position().index(),
                                                    0,
                                                    null,
                                                    0)))
                            .run();
                    System.gc();
                    arrays[phase] = model.manager().getManagedArrays().size();
                    rss[phase] = dev.reward4j.trainers.loop.RssProbe.kib();
                }
                System.out.printf(
                        "memory: model-manager arrays %d -> %d, RSS %d -> %d KiB (+%d KiB) over 500"
                                + " tiny-Llama steps%n",
                        arrays[0], arrays[1], rss[0], rss[1], rss[1] - rss[0]);
                assertEquals(arrays[0], arrays[1], "arrays attached to the model manager");
                org.junit.jupiter.api.Assertions.assertTrue(
                        rss[1] - rss[0] < 32 * 1024, "RSS grew " + (rss[1] - rss[0]) + " KiB");
            }
        }
    }
}
