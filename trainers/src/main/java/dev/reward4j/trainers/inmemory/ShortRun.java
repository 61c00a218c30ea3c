package dev.reward4j.trainers.inmemory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.Evaluator;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import java.util.Map;

/**
 * Settings of a short in-memory training run: AdamW without weight decay, {@code warmup} linear
 * warm-up steps then cosine decay to 10% of {@code lr}, global-norm clipping at 1, float32, no
 * checkpoints. Defaults live in {@link #defaults()}.
 *
 * @param steps optimizer steps, {@code >= 1}
 * @param lr peak learning rate
 * @param warmup warm-up steps, {@code < steps}
 */
public record ShortRun(long steps, double lr, long warmup) {
    /** Validates the settings. */
    public ShortRun {
        Checks.argument(steps >= 1, () -> "ShortRun: steps (" + steps + "); expected >= 1");
        Checks.argument(
                lr > 0 && Double.isFinite(lr), () -> "ShortRun: lr (" + lr + "); expected > 0");
        Checks.argument(
                warmup >= 0 && warmup < steps,
                () -> "ShortRun: warmup (" + warmup + "); expected in [0, steps)");
    }

    /**
     * 300 steps at 3e-3 with 10 warm-up steps (tiny models from scratch).
     *
     * @return the settings
     */
    public static ShortRun defaults() {
        return new ShortRun(300, 3e-3, 10);
    }

    /**
     * A copy with another step count (warm-up kept below it).
     *
     * @param n optimizer steps
     * @return the copy
     */
    public ShortRun withSteps(long n) {
        return new ShortRun(n, lr, Math.min(warmup, n - 1));
    }

    /**
     * A copy with another peak learning rate.
     *
     * @param value the learning rate
     * @return the copy
     */
    public ShortRun withLr(double value) {
        return new ShortRun(steps, value, warmup);
    }

    /**
     * Trains {@code params} with {@code objective} on {@code source}; the optimizer state is
     * created here and freed at the end.
     *
     * @param manager the model manager (parent of step managers and optimizer state)
     * @param params the trained parameters
     * @param objective the objective
     * @param source the micro-batches
     * @param evaluator held-out evaluation at the end, or null
     * @param sink receives logged metrics
     * @param <B> batch type
     * @return the run summary
     */
    public <B extends AutoCloseable> LoopResult train(
            NDManager manager,
            Map<String, NDArray> params,
            TrainingStep<B> objective,
            BatchSource<B> source,
            Evaluator evaluator,
            MetricSink sink) {
        try (AdamW opt = new AdamW(params, AdamWConfig.defaults().withWeightDecay(0), manager)) {
            LoopParts<B> parts =
                    new LoopParts<>(
                            manager,
                            objective,
                            source,
                            opt,
                            new LrSchedule.Cosine(lr, warmup, steps, 0.1),
                            new GlobalNormClip(1.0),
                            LossScaler.none(),
                            sink,
                            evaluator,
                            null,
                            LoopOptions.defaults().withMaxSteps(steps),
                            new TrainerState(0, 0, 0, 1, null, 0));
            return new TrainLoop<>(parts).run();
        }
    }
}
