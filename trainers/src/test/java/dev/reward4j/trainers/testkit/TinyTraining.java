package dev.reward4j.trainers.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.Evaluator;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Tiny models and a plain training run through {@link TrainLoop} (AdamW, cosine, clip 1). */
public final class TinyTraining {
    private TinyTraining() {}

    /**
     * A trainable 2-layer Llama of width 32 (4 heads) for {@code vocab} tokens.
     *
     * @param vocab vocabulary size
     * @param head the head
     * @param seed initialisation seed
     * @return the model (close it)
     */
    public static DecoderModel tiny(int vocab, ModelHead head, long seed) {
        return llama(vocab, 32, head, seed);
    }

    /**
     * A trainable 2-layer Llama of the given width (4 heads, MLP width 2x).
     *
     * @param vocab vocabulary size
     * @param width hidden size (a multiple of 4)
     * @param head the head
     * @param seed initialisation seed
     * @return the model (close it)
     */
    public static DecoderModel llama(int vocab, int width, ModelHead head, long seed) {
        DecoderModel m =
                DecoderModel.create(
                        ModelConfig.of(Architecture.LLAMA, vocab, width, 2, 4, 4, 2 * width),
                        head,
                        seed,
                        ModelOptions.defaults());
        m.setTrainable(true);
        return m;
    }

    /**
     * Trains {@code params} with {@code objective} for {@code steps} steps.
     *
     * @param manager the model manager (parent of the step managers and the optimizer state)
     * @param params the trained parameters (model plus any head parameters)
     * @param objective the objective
     * @param source training batches
     * @param heldOut held-out batch factories evaluated at the end (may be empty)
     * @param steps optimizer steps
     * @param lr peak learning rate (10 warm-up steps, cosine to 10%)
     * @param <B> batch type
     * @return the run summary
     */
    public static <B extends AutoCloseable> LoopResult train(
            NDManager manager,
            Map<String, NDArray> params,
            TrainingStep<B> objective,
            BatchSource<B> source,
            List<Function<NDManager, B>> heldOut,
            long steps,
            double lr) {
        try (AdamW opt = new AdamW(params, AdamWConfig.defaults().withWeightDecay(0), manager)) {
            Evaluator eval =
                    heldOut.isEmpty() ? null : new StepEvaluator<>(objective, heldOut, manager);
            LoopParts<B> parts =
                    new LoopParts<>(
                            manager,
                            objective,
                            source,
                            opt,
                            new LrSchedule.Cosine(lr, 10, steps, 0.1),
                            new GlobalNormClip(1.0),
                            LossScaler.none(),
                            (phase, step, values) -> {
                                if (System.getenv("R4J_TRACE") != null && step % 25 == 0) {
                                    System.out.println(phase + " " + step + " " + values);
                                }
                            },
                            eval,
                            null,
                            LoopOptions.defaults().withMaxSteps(steps),
                            new TrainerState(0, 0, 0, 1, null, 0));
            return new TrainLoop<>(parts).run();
        }
    }
}
