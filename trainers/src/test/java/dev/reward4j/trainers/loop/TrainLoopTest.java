package dev.reward4j.trainers.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.testing.NativeMemory;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.TinyLinearTask.Pairs;
import dev.reward4j.trainers.loop.TinyLinearTask.RecordingSink;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLoopTest {
    private NDManager manager;
    private final TinyLinearTask task = new TinyLinearTask(64, 7);

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A run of the tiny task: parameters, optimizer, sink and summary. */
    private final class Run implements AutoCloseable {
        final Map<String, NDArray> params = TinyLinearTask.params(manager);
        final AdamW optimizer = new AdamW(params, AdamWConfig.defaults(), manager);
        final RecordingSink sink = new RecordingSink();
        Checkpointer checkpointer;

        LossScaler scaler = LossScaler.none();

        LoopResult run(LoopOptions options, int microBatch, int poisonRow, TrainerState start) {
            CheckpointHook hook =
                    checkpointer == null
                            ? null
                            : state ->
                                    checkpointer.save(
                                            state.step(),
                                            dir -> {
                                                TinyLinearTask.saveParams(
                                                        params, dir.resolve("model.safetensors"));
                                                optimizer.save(dir);
                                                state.write(dir);
                                            });
            LoopParts<Pairs> parts =
                    new LoopParts<>(
                            manager,
                            TinyLinearTask.objective(params),
                            task.source(microBatch, poisonRow),
                            optimizer,
                            new LrSchedule.Cosine(0.05, 3, 40, 0.1),
                            new GlobalNormClip(1.0),
                            scaler,
                            sink,
                            null,
                            hook,
                            options,
                            start);
            return new TrainLoop<>(parts).run();
        }

        void resumeFrom(Path dir) throws IOException {
            TinyLinearTask.loadParams(params, dir.resolve("model.safetensors"), manager);
            optimizer.load(dir);
        }

        @Override
        public void close() {
            optimizer.close();
        }
    }

    private static TrainerState fresh() {
        return new TrainerState(0, 0, 0, 7, null, 0);
    }

    @Nested
    class Accumulation {
        @Test
        void oneTwoAndFourMicroBatchesGiveTheSameLossGradientsAndMetrics() {
            float[][] weights = new float[3][];
            List<Map<String, Double>>[] logs = new List[3];
            int[] micro = {1, 2, 4};
            for (int i = 0; i < 3; i++) {
                try (Run run = new Run()) {
                    run.run(
                            LoopOptions.defaults().withMaxSteps(6).withMicroSteps(micro[i]),
                            16 / micro[i],
                            -1,
                            fresh());
                    weights[i] = run.params.get("w.weight").toFloatArray();
                    logs[i] = run.sink.train;
                }
            }
            for (int i = 1; i < 3; i++) {
                assertArrayEquals(
                        weights[0], weights[i], 1e-6f, "weights after 6 steps, micro " + micro[i]);
                for (int s = 0; s < 6; s++) {
                    for (String k : List.of("loss", "accuracy", "margin", "grad_norm")) {
                        assertEquals(
                                logs[0].get(s).get(k),
                                logs[i].get(s).get(k),
                                1e-6,
                                k + " at step " + (s + 1) + ", micro " + micro[i]);
                    }
                }
            }
            double acc = logs[0].get(5).get("accuracy");
            assertTrue(acc >= 0 && acc <= 1);
        }
    }

    @Nested
    class HostSync {
        @Test
        void theLoopReadsTheDeviceOncePerOptimizerStepWhateverTheMicroSteps() {
            try (Run run = new Run()) {
                long before = DeferredMetrics.HOST_READS.get();
                LoopResult s =
                        run.run(
                                LoopOptions.defaults().withMaxSteps(3).withMicroSteps(4),
                                2,
                                -1,
                                fresh());
                // 3 steps x 4 micro-steps: losses, gradient norm and metrics in 3 transfers
                assertEquals(3, DeferredMetrics.HOST_READS.get() - before);
                assertEquals(3, s.losses().size());
                assertTrue(Double.isFinite(s.lastTrain().get("grad_norm")));
            }
        }
    }

    @Nested
    class Resume {
        @Test
        void nStepsPlusResumePlusNStepsEqualsTwoNSteps(@TempDir Path root) throws IOException {
            List<Double> straight;
            try (Run run = new Run()) {
                straight =
                        run.run(LoopOptions.defaults().withMaxSteps(20), 8, -1, fresh()).losses();
            }
            List<Double> first;
            try (Run run = new Run()) {
                run.checkpointer = new Checkpointer(root, 2);
                first = run.run(LoopOptions.defaults().withMaxSteps(10), 8, -1, fresh()).losses();
            }
            Path ckpt = root.resolve("step-00000010");
            List<Double> second;
            try (Run run = new Run()) {
                run.resumeFrom(ckpt);
                second =
                        run.run(
                                        LoopOptions.defaults().withMaxSteps(20),
                                        8,
                                        -1,
                                        TrainerState.read(ckpt))
                                .losses();
            }
            assertEquals(10, second.size());
            for (int s = 0; s < 20; s++) {
                double resumed = s < 10 ? first.get(s) : second.get(s - 10);
                assertEquals(straight.get(s), resumed, 1e-6, "loss at step " + (s + 1));
            }
        }
    }

    @Nested
    class Guard {
        @Test
        void aNanLossStopsTheRunNamingStepAndExamplesAndKeepsTheLastCheckpoint(@TempDir Path root)
                throws IOException {
            int poison = task.order(0)[8 * 5]; // first row of step 6 (batch 8)
            try (Run run = new Run()) {
                run.checkpointer = new Checkpointer(root, 3);
                NonFiniteException e =
                        assertThrows(
                                NonFiniteException.class,
                                () ->
                                        run.run(
                                                LoopOptions.defaults()
                                                        .withMaxSteps(10)
                                                        .withCheckpointEvery(5),
                                                8,
                                                poison,
                                                fresh()));
                assertEquals(6, e.step());
                assertTrue(e.exampleIds().contains("pair-" + poison), e.exampleIds().toString());
                assertTrue(
                        e.getMessage()
                                .startsWith(
                                        "train: non-finite loss (NaN) at step 6 (examples [pair-"
                                                + poison),
                        e.getMessage());
                assertTrue(e.getMessage().contains("step-00000005"), e.getMessage());
            }
            assertEquals(List.of(root.resolve("step-00000005")), new Checkpointer(root, 3).list());
            assertEquals(5, TrainerState.read(root.resolve("step-00000005")).step());
            assertTrue(Files.size(root.resolve("step-00000005/model.safetensors")) > 0);
        }
    }

    @Nested
    class LossScaling {
        @Test
        void overflowingScaledGradientsSkipStepsAndLowerTheScaleThenTrainingProceeds() {
            try (Run scaled = new Run();
                    Run plain = new Run()) {
                // 2^127 times summed gradients of size ~2^5 overflows float32 (max ~2^128): the
                // first steps skip, halving the scale
                scaled.scaler =
                        new dev.reward4j.trainers.optim.DynamicLossScaler(
                                Math.pow(2, 127), 2, 0.5, 1000, 10);
                LoopResult s = scaled.run(LoopOptions.defaults().withMaxSteps(12), 8, -1, fresh());
                assertTrue(
                        s.skippedSteps() >= 1 && s.skippedSteps() < 12,
                        "skipped " + s.skippedSteps());
                assertTrue(s.lastTrain().get("loss_scale") < Math.pow(2, 127));
                assertEquals(s.skippedSteps(), s.lastTrain().get("skipped_steps").longValue());
                float[] w = scaled.params.get("w.weight").toFloatArray();
                for (float v : w) {
                    assertTrue(Float.isFinite(v) && v != 0f, java.util.Arrays.toString(w));
                }
                // the applied steps unscaled correctly: the last logged grad norm matches an
                // unscaled run's magnitude
                LoopResult p = plain.run(LoopOptions.defaults().withMaxSteps(12), 8, -1, fresh());
                assertTrue(
                        Math.abs(s.lastTrain().get("grad_norm"))
                                < 10 * p.lastTrain().get("grad_norm") + 1,
                        s.lastTrain().toString());
            }
        }
    }

    @Nested
    class Memory {
        @Test
        void arrayCountAndNativeMemoryStayFlatOver500Steps() throws IOException {
            try (Run run = new Run()) {
                run.run(LoopOptions.defaults().withMaxSteps(50), 8, -1, fresh());
                int arraysAfter50 = manager.getManagedArrays().size();
                // native memory (RSS outside the Java heap) after each window of 50 steps
                long[] nativeKib = new long[11];
                nativeKib[0] = NativeMemory.nativeKib();
                for (int w = 1; w < nativeKib.length; w++) {
                    run.run(
                            LoopOptions.defaults().withMaxSteps(50 + 50L * w),
                            8,
                            -1,
                            new TrainerState(50 + 50L * (w - 1), 0, 0, 7, null, 0));
                    nativeKib[w] = NativeMemory.nativeKib();
                }
                int arraysAfter550 = manager.getManagedArrays().size();
                double growth = NativeMemory.growthPerStepKib(nativeKib, 50);
                System.out.printf(
                        "memory (linear task): arrays %d -> %d, native %s, trend %.2f KiB/step"
                                + " over 500 steps%n",
                        arraysAfter50, arraysAfter550, NativeMemory.describe(nativeKib), growth);
                assertEquals(arraysAfter50, arraysAfter550, "arrays attached to the model manager");
                // a leaked step (even one small gradient handle per parameter) is well above this
                assertTrue(
                        growth < 32,
                        "native memory grows "
                                + growth
                                + " KiB/step: "
                                + NativeMemory.describe(nativeKib));
            }
        }
    }
}
