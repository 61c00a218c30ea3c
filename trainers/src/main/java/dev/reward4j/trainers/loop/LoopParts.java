package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDManager;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.optim.Optimizer;
import java.util.Objects;

/**
 * The parts a {@link TrainLoop} is composed from. Build them with {@link #builder(NDManager)}: the
 * training step, batch source, optimizer and schedule are required, everything else has a default
 * (see {@link Builder}). The canonical constructor is kept for compatibility (twelve positional
 * parts, {@code evaluator} and {@code checkpoint} nullable); prefer the builder.
 *
 * @param manager manager of the trained model's parameters; every micro-step runs in a sub-manager
 *     of it
 * @param objective computes the loss of a micro-batch (the training step)
 * @param source yields micro-batches
 * @param optimizer updates the trained parameters
 * @param schedule learning rate per step
 * @param clip global-norm clipping (also unscales)
 * @param scaler loss scaling ({@link LossScaler#none()} in float32)
 * @param sink receives logged metrics
 * @param evaluator held-out evaluation, or null
 * @param checkpoint checkpoint writer, or null
 * @param options step counts
 * @param start state to start from ({@link TrainerState#fresh(long)} for a fresh run, a
 *     checkpoint's state on resume)
 * @param <B> the batch type
 */
public record LoopParts<B extends AutoCloseable>(
        NDManager manager,
        TrainingStep<B> objective,
        BatchSource<B> source,
        Optimizer optimizer,
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

    /**
     * A builder over {@code manager} (the trained model's manager, e.g. {@code model.manager()}).
     *
     * @param <B> the batch type
     */
    public static <B extends AutoCloseable> Builder<B> builder(NDManager manager) {
        return new Builder<>(manager);
    }

    /**
     * Builds {@link LoopParts}. Required: {@link #step}, {@link #source}, {@link #optimizer},
     * {@link #schedule}. Defaults: no clipping (the norm is still measured and logged), no loss
     * scaling, no metric sink, no held-out evaluation, no checkpoints, {@link
     * LoopOptions#defaults()}, a fresh start with seed 0.
     *
     * @param <B> the batch type
     */
    public static final class Builder<B extends AutoCloseable> {
        private final NDManager manager;
        private TrainingStep<B> step;
        private BatchSource<B> source;
        private Optimizer optimizer;
        private LrSchedule schedule;
        private GlobalNormClip clip = GlobalNormClip.none();
        private LossScaler scaler = LossScaler.none();
        private MetricSink sink = MetricSink.NONE;
        private Evaluator evaluator;
        private CheckpointHook checkpoint;
        private LoopOptions options = LoopOptions.defaults();
        private TrainerState start = TrainerState.fresh(0);

        private Builder(NDManager manager) {
            this.manager = Objects.requireNonNull(manager, "loop: manager");
        }

        /** The training step (required). */
        public Builder<B> step(TrainingStep<B> trainingStep) {
            this.step = trainingStep;
            return this;
        }

        /** The batch source (required). */
        public Builder<B> source(BatchSource<B> batches) {
            this.source = batches;
            return this;
        }

        /** The optimizer (required), e.g. an {@code AdamW}. */
        public Builder<B> optimizer(Optimizer opt) {
            this.optimizer = opt;
            return this;
        }

        /** The learning-rate schedule (required); a lambda {@code step -> rate} works. */
        public Builder<B> schedule(LrSchedule lrSchedule) {
            this.schedule = lrSchedule;
            return this;
        }

        /** Global-norm clipping (default: none, the norm is only measured). */
        public Builder<B> clip(GlobalNormClip globalNormClip) {
            this.clip = globalNormClip;
            return this;
        }

        /** Loss scaling (default: {@link LossScaler#none()}). */
        public Builder<B> scaler(LossScaler lossScaler) {
            this.scaler = lossScaler;
            return this;
        }

        /** Where logged metrics go (default: nowhere). */
        public Builder<B> sink(MetricSink metricSink) {
            this.sink = metricSink;
            return this;
        }

        /** Held-out evaluation (default: none). */
        public Builder<B> evaluator(Evaluator heldOut) {
            this.evaluator = heldOut;
            return this;
        }

        /** Checkpoint writer (default: none). */
        public Builder<B> checkpoint(CheckpointHook hook) {
            this.checkpoint = hook;
            return this;
        }

        /** Step counts (default: {@link LoopOptions#defaults()}). */
        public Builder<B> options(LoopOptions loopOptions) {
            this.options = loopOptions;
            return this;
        }

        /** Shortcut for {@code options(options.withMaxSteps(n))}. */
        public Builder<B> maxSteps(long n) {
            this.options = options.withMaxSteps(n);
            return this;
        }

        /** The state to start from (default: {@code TrainerState.fresh(0)}). */
        public Builder<B> start(TrainerState state) {
            this.start = state;
            return this;
        }

        /**
         * The parts.
         *
         * @throws NullPointerException naming the first missing required part
         */
        public LoopParts<B> build() {
            return new LoopParts<>(
                    manager,
                    step,
                    source,
                    optimizer,
                    schedule,
                    clip,
                    scaler,
                    sink,
                    evaluator,
                    checkpoint,
                    options,
                    start);
        }
    }
}
