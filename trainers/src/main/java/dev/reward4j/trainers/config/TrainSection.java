package dev.reward4j.trainers.config;

import dev.reward4j.trainers.loop.LoopOptions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code train:} step counts, seed, device and output.
 *
 * @param maxSteps optimizer steps (replaced by the count {@code epochs} gives when {@code epochs}
 *     is set)
 * @param microSteps micro-batches per optimizer step (gradient accumulation)
 * @param seed seed of the data order and of any initialisation
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 * @param logEvery log every this many steps
 * @param evalEvery evaluate every this many steps (0 = at the end only)
 * @param outputDir run directory (metrics.jsonl, checkpoints/, final/)
 * @param epochs passes over the training examples, or null; when set, {@code max_steps} becomes
 *     {@code ceil(epochs x kept training examples / (data.batch_size x micro_steps))}, computed
 *     once the training file is tokenized (TRL's {@code num_train_epochs}). Giving both {@code
 *     epochs} and {@code max_steps} is an error
 * @param runName the run's name in the report and {@code summary.json}; null = the name of {@code
 *     output_dir}
 * @param reportTo extra metric writers: {@code tensorboard} (event files under {@code
 *     <output_dir>/tensorboard}) or {@code none}; {@code metrics.jsonl} is always written
 */
public record TrainSection(
        long maxSteps,
        int microSteps,
        long seed,
        String device,
        int logEvery,
        int evalEvery,
        String outputDir,
        Double epochs,
        String runName,
        List<String> reportTo) {
    /** The {@code report_to} values. */
    public static final Set<String> REPORT_TO = new TreeSet<>(Set.of("tensorboard", "none"));

    /** Validates the values. */
    public TrainSection {
        Require.atLeast(maxSteps, 1, "max_steps");
        Require.atLeast(microSteps, 1, "micro_steps");
        Require.atLeast(logEvery, 1, "log_every");
        Require.atLeast(evalEvery, 0, "eval_every");
        Require.present(device, "device", "use cpu, gpu, gpu:N or auto");
        Require.present(outputDir, "output_dir", "give a run directory");
        if (epochs != null) {
            Require.positive(epochs, "epochs");
        }
        if (runName != null && runName.isBlank()) {
            throw new IllegalArgumentException(
                    "run_name: expected a name or nothing (got a blank string)");
        }
        reportTo = reportTo == null ? List.of() : List.copyOf(reportTo);
        for (String r : reportTo) {
            Require.oneOf(r, REPORT_TO, "report_to");
        }
    }

    /** A section without epochs, run name or extra metric writers. */
    public TrainSection(
            long maxSteps,
            int microSteps,
            long seed,
            String device,
            int logEvery,
            int evalEvery,
            String outputDir) {
        this(maxSteps, microSteps, seed, device, logEvery, evalEvery, outputDir, null, null, null);
    }

    /**
     * 1000 steps, no accumulation, seed 42, CPU, log every 10 steps, evaluate at the end, output
     * runs/reward4j, no epochs, run named after the output directory, no TensorBoard.
     */
    public static TrainSection defaults() {
        return new TrainSection(1000, 1, 42, "cpu", 10, 0, "runs/reward4j");
    }

    /** Loop options with the checkpoint period from {@code checkpoint}. */
    public LoopOptions toLoopOptions(CheckpointSection checkpoint) {
        return new LoopOptions(maxSteps, microSteps, logEvery, evalEvery, checkpoint.every());
    }

    /** This section with {@code max_steps} replaced (e.g. resolved from {@code epochs}). */
    public TrainSection withMaxSteps(long n) {
        return new TrainSection(
                n,
                microSteps,
                seed,
                device,
                logEvery,
                evalEvery,
                outputDir,
                epochs,
                runName,
                reportTo);
    }

    /** Whether {@code report_to} asks for TensorBoard event files. */
    public boolean tensorBoard() {
        return reportTo.contains("tensorboard");
    }

    /**
     * The optimizer steps {@code epochs} passes over {@code examples} training examples take:
     * {@code ceil(epochs x examples / (batchSize x microSteps))}, at least 1. Every reward4j step
     * holds full micro-batches (a batch reaching the end of an epoch continues into the next), so
     * this is the number of steps that sees {@code epochs x examples} examples.
     */
    public static long stepsFor(double epochs, long examples, int batchSize, int microSteps) {
        double perStep = (double) batchSize * microSteps;
        return Math.max(1, (long) Math.ceil(epochs * examples / perStep - 1e-9));
    }
}
