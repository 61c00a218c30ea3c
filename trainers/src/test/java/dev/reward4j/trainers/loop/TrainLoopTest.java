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
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.optim.Optimizer;
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
        return TrainerState.fresh(7);
    }

    /**
     * The loop's extension points: its parts are interfaces it never type-tests, so a hand-written
     * optimizer, a lambda schedule, a step and a scaler with running state plug in through the
     * builder, and their state goes through checkpoints by {@code state()}/{@code restore()}.
     */
    @Nested
    class ExtensionPoints {
        /** Plain SGD: {@code p -= lr * g}; its state is its step count, saved as a text file. */
        final class Sgd implements Optimizer {
            final Map<String, NDArray> params;
            long steps;

            Sgd(Map<String, NDArray> params) {
                this.params = params;
            }

            @Override
            public Map<String, NDArray> namedParameters() {
                return java.util.Collections.unmodifiableMap(params);
            }

            @Override
            public void step(double lr, double gradMultiplier) {
                steps++;
                Gradients.withGradModeOff(
                        () -> {
                            for (NDArray p : params.values()) {
                                try (NDArray g = p.getGradient()) {
                                    p.subi(g.mul(lr * gradMultiplier));
                                }
                            }
                            Gradients.zero(params.values());
                            return null;
                        });
            }

            @Override
            public void save(Path dir) throws IOException {
                Files.writeString(dir.resolve("sgd.txt"), Long.toString(steps));
            }

            @Override
            public void load(Path dir) throws IOException {
                steps = Long.parseLong(Files.readString(dir.resolve("sgd.txt")));
            }

            @Override
            public void close() {}
        }

        /** A step counting the batches it saw: its running state. */
        final class CountingStep implements TrainingStep<Pairs> {
            final TrainingStep<Pairs> inner;
            double batches;

            CountingStep(TrainingStep<Pairs> inner) {
                this.inner = inner;
            }

            @Override
            public StepResult compute(Pairs batch, StepContext ctx) {
                batches++;
                return inner.compute(batch, ctx);
            }

            @Override
            public double[] state() {
                return new double[] {batches};
            }

            @Override
            public void restore(double[] state) {
                batches = state[0];
            }
        }

        /** A scaler that is not the built-in one but keeps state: the loop must still save it. */
        final class CountingScaler implements LossScaler {
            double updates;

            @Override
            public double scale() {
                return 1.0;
            }

            @Override
            public Verdict update(boolean gradientsFinite) {
                updates++;
                return gradientsFinite ? Verdict.APPLY : Verdict.FAIL;
            }

            @Override
            public double[] state() {
                return new double[] {updates};
            }

            @Override
            public void restore(double[] state) {
                updates = state[0];
            }

            @Override
            public Map<String, Double> metrics() {
                return Map.of("scaler_updates", updates);
            }
        }

        @Test
        void aHandWrittenOptimizerALambdaScheduleAndStatefulPartsRunAndResume(@TempDir Path root)
                throws IOException {
            Map<String, NDArray> params = TinyLinearTask.params(manager);
            Sgd sgd = new Sgd(params);
            CountingStep step = new CountingStep(TinyLinearTask.objective(params));
            CountingScaler scaler = new CountingScaler();
            RecordingSink sink = new RecordingSink();
            Checkpointer checkpointer = new Checkpointer(root, 5);
            LrSchedule inverseSqrt = s -> 0.5 / Math.sqrt(s);
            LoopParts<Pairs> parts =
                    LoopParts.<Pairs>builder(manager)
                            .step(step)
                            .source(task.source(8, -1))
                            .optimizer(sgd)
                            .schedule(inverseSqrt)
                            .scaler(scaler)
                            .sink(sink)
                            .checkpoint(
                                    state ->
                                            checkpointer.save(
                                                    state.step(),
                                                    dir -> {
                                                        sgd.save(dir);
                                                        state.write(dir);
                                                    }))
                            .options(
                                    LoopOptions.defaults()
                                            .withMaxSteps(4)
                                            .withMicroSteps(2)
                                            .withCheckpointEvery(2))
                            .start(TrainerState.fresh(7))
                            .build();
            LoopResult result = new TrainLoop<>(parts).run();
            assertEquals(4, result.steps());
            assertEquals(4, sgd.steps);
            for (int s = 0; s < 4; s++) {
                assertEquals(0.5 / Math.sqrt(s + 1), sink.train.get(s).get("lr"), 1e-15);
                assertEquals(s + 1.0, sink.train.get(s).get("scaler_updates"));
            }
            assertTrue(result.losses().get(3) < result.losses().get(0), result.losses().toString());

            // the checkpoint of step 2 holds the step's and the scaler's state, read back on resume
            Path ckpt = checkpointer.list().get(0);
            TrainerState saved = TrainerState.read(ckpt);
            assertArrayEquals(new double[] {4}, saved.objectiveState()); // 2 steps x 2 micro
            assertArrayEquals(new double[] {2}, saved.lossScaler());
            CountingStep resumedStep = new CountingStep(TinyLinearTask.objective(params));
            CountingScaler resumedScaler = new CountingScaler();
            new TrainLoop<>(
                    LoopParts.<Pairs>builder(manager)
                            .step(resumedStep)
                            .source(task.source(8, -1))
                            .optimizer(sgd)
                            .schedule(inverseSqrt)
                            .scaler(resumedScaler)
                            .start(saved)
                            .build());
            assertEquals(4, resumedStep.batches);
            assertEquals(2, resumedScaler.updates);
        }

        @Test
        void aStatelessStepRejectsTheStateOfAnotherObjective() {
            Map<String, NDArray> params = TinyLinearTask.params(manager);
            try (AdamW adamw = new AdamW(params, AdamWConfig.defaults(), manager)) {
                LoopParts<Pairs> parts =
                        LoopParts.<Pairs>builder(manager)
                                .step(TinyLinearTask.objective(params))
                                .source(task.source(8, -1))
                                .optimizer(adamw)
                                .schedule(s -> 1e-2)
                                .start(new TrainerState(2, 0, 16, 7, null, 0, new double[] {1, 2}))
                                .build();
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> new TrainLoop<>(parts));
                assertTrue(e.getMessage().contains("training-step state"), e.getMessage());
            }
        }

        @Test
        void theBuilderNamesAMissingRequiredPart() {
            NullPointerException e =
                    assertThrows(
                            NullPointerException.class,
                            () ->
                                    LoopParts.<Pairs>builder(manager)
                                            .source(task.source(8, -1))
                                            .schedule(s -> 1e-2)
                                            .build());
            assertTrue(e.getMessage().contains("objective"), e.getMessage());
        }
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
            Path ckpt = root.resolve("checkpoint-10");
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
                assertTrue(e.getMessage().contains("checkpoint-5"), e.getMessage());
            }
            assertEquals(List.of(root.resolve("checkpoint-5")), new Checkpointer(root, 3).list());
            assertEquals(5, TrainerState.read(root.resolve("checkpoint-5")).step());
            assertTrue(Files.size(root.resolve("checkpoint-5/model.safetensors")) > 0);
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
