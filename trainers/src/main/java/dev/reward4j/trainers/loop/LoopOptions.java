package dev.reward4j.trainers.loop;

import dev.reward4j.core.util.Checks;

/**
 * Step counts that drive {@link TrainLoop}.
 *
 * @param maxSteps optimizer steps to reach (a resumed run continues up to the same number)
 * @param microSteps micro-batches per optimizer step (gradient accumulation), &ge; 1
 * @param logEvery log training metrics every this many steps, &ge; 1
 * @param evalEvery evaluate every this many steps; 0 = only at the end
 * @param checkpointEvery checkpoint every this many steps; 0 = only at the end
 */
public record LoopOptions(
        long maxSteps, int microSteps, int logEvery, int evalEvery, int checkpointEvery) {
    /** Validates the counts. */
    public LoopOptions {
        Checks.argument(
                maxSteps >= 1,
                () -> "train.max_steps: expected a number >= 1 (got " + maxSteps + ")");
        Checks.positive(microSteps, "train.micro_steps");
        Checks.positive(logEvery, "train.log_every");
        Checks.argument(
                evalEvery >= 0,
                () -> "train.eval_every: expected a number >= 0 (got " + evalEvery + ")");
        Checks.argument(
                checkpointEvery >= 0,
                () -> "checkpoint.every: expected a number >= 0 (got " + checkpointEvery + ")");
    }

    /** 100 steps, no accumulation, log every step, evaluate and checkpoint at the end only. */
    public static LoopOptions defaults() {
        return new LoopOptions(100, 1, 1, 0, 0);
    }

    /** Copy with other max steps. */
    public LoopOptions withMaxSteps(long n) {
        return new LoopOptions(n, microSteps, logEvery, evalEvery, checkpointEvery);
    }

    /** Copy with other micro-steps. */
    public LoopOptions withMicroSteps(int n) {
        return new LoopOptions(maxSteps, n, logEvery, evalEvery, checkpointEvery);
    }

    /** Copy with another evaluation period. */
    public LoopOptions withEvalEvery(int n) {
        return new LoopOptions(maxSteps, microSteps, logEvery, n, checkpointEvery);
    }

    /** Copy with another checkpoint period. */
    public LoopOptions withCheckpointEvery(int n) {
        return new LoopOptions(maxSteps, microSteps, logEvery, evalEvery, n);
    }

    /** Copy with another logging period. */
    public LoopOptions withLogEvery(int n) {
        return new LoopOptions(maxSteps, microSteps, n, evalEvery, checkpointEvery);
    }
}
