package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDManager;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import java.util.Objects;

/**
 * The parts a {@link TrainLoop} is composed from.
 *
 * @param manager manager of the trained model's parameters; every micro-step runs in a sub-manager
 *     of it
 * @param objective computes the loss of a micro-batch
 * @param source yields micro-batches
 * @param optimizer updates the trained parameters
 * @param schedule learning rate per step
 * @param clip global-norm clipping (also unscales)
 * @param scaler loss scaling ({@link LossScaler#none()} in float32)
 * @param sink receives logged metrics
 * @param evaluator held-out evaluation, or null
 * @param checkpoint checkpoint writer, or null
 * @param options step counts
 * @param start state to start from ({@code step 0} for a fresh run, a checkpoint's state on resume)
 * @param <B> the batch type
 */
public record LoopParts<B extends AutoCloseable>(
        NDManager manager,
        TrainingStep<B> objective,
        BatchSource<B> source,
        AdamW optimizer,
        LrSchedule schedule,
        GlobalNormClip clip,
        LossScaler scaler,
        MetricSink sink,
        Evaluator evaluator,
        CheckpointHook checkpoint,
        LoopOptions options,
        TrainerState start) {
    /** Checks the required parts. */
    public LoopParts {
        Objects.requireNonNull(manager, "loop: manager");
        Objects.requireNonNull(objective, "loop: objective");
        Objects.requireNonNull(source, "loop: source");
        Objects.requireNonNull(optimizer, "loop: optimizer");
        Objects.requireNonNull(schedule, "loop: schedule");
        Objects.requireNonNull(clip, "loop: clip");
        Objects.requireNonNull(scaler, "loop: scaler");
        Objects.requireNonNull(sink, "loop: sink");
        Objects.requireNonNull(options, "loop: options");
        Objects.requireNonNull(start, "loop: start state");
    }
}
