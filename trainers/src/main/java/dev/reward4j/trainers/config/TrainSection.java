package dev.reward4j.trainers.config;

import dev.reward4j.trainers.loop.LoopOptions;

/**
 * {@code train:} step counts, seed, device and output.
 *
 * @param maxSteps optimizer steps
 * @param microSteps micro-batches per optimizer step (gradient accumulation)
 * @param seed seed of the data order and of any initialisation
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 * @param logEvery log every this many steps
 * @param evalEvery evaluate every this many steps (0 = at the end only)
 * @param outputDir run directory (metrics.jsonl, checkpoints/, final/)
 */
public record TrainSection(
        long maxSteps,
        int microSteps,
        long seed,
        String device,
        int logEvery,
        int evalEvery,
        String outputDir) {
    /** Validates the values. */
    public TrainSection {
        Require.atLeast(maxSteps, 1, "max_steps");
        Require.atLeast(microSteps, 1, "micro_steps");
        Require.atLeast(logEvery, 1, "log_every");
        Require.atLeast(evalEvery, 0, "eval_every");
        Require.present(device, "device", "use cpu, gpu, gpu:N or auto");
        Require.present(outputDir, "output_dir", "give a run directory");
    }

    /**
     * 1000 steps, no accumulation, seed 42, CPU, log every 10 steps, evaluate at the end, output
     * runs/reward4j.
     */
    public static TrainSection defaults() {
        return new TrainSection(1000, 1, 42, "cpu", 10, 0, "runs/reward4j");
    }

    /** Loop options with the checkpoint period from {@code checkpoint}. */
    public LoopOptions toLoopOptions(CheckpointSection checkpoint) {
        return new LoopOptions(maxSteps, microSteps, logEvery, evalEvery, checkpoint.every());
    }
}
