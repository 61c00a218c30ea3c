package dev.reward4j.trainers.run;

import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.metrics.RunSummary;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link TrainRun} returns.
 *
 * @param loop the training loop's result of this session (steps, losses, last train and eval
 *     metrics, timing)
 * @param summary the run's report: final and best metrics over the whole run (all sessions),
 *     throughput of this session, data counters (also written to {@code summary.json})
 * @param runDir the run directory ({@code train.output_dir})
 * @param modelDir the final model in Hugging Face format ({@code <runDir>/final}); written only
 *     when {@code status} is {@link Status#FINISHED} or {@link Status#ALREADY_FINISHED}
 * @param status how the session ended
 * @param checkpoint the newest checkpoint of the run (the one to resume from), or null
 */
public record RunResult(
        LoopResult loop,
        RunSummary summary,
        Path runDir,
        Path modelDir,
        Status status,
        Path checkpoint) {
    /** How a session ended. */
    public enum Status {
        /** The run reached its last step; the final model and a finished summary were written. */
        FINISHED,
        /** A stop request ended it early, after a checkpoint; it resumes from there. */
        INTERRUPTED,
        /** The directory held the same run, already finished: nothing was run or rewritten. */
        ALREADY_FINISHED
    }

    /** A finished run. */
    public RunResult(LoopResult loop, RunSummary summary, Path runDir, Path modelDir) {
        this(loop, summary, runDir, modelDir, Status.FINISHED, loop.lastCheckpoint());
    }

    /** The metrics file of the run ({@code metrics.jsonl}). */
    public Path metricsFile() {
        return runDir.resolve(TrainRun.METRICS_FILE);
    }

    /** The last training metrics of the run. */
    public Map<String, Double> finalTrain() {
        return summary.finalTrain();
    }

    /** The last held-out metrics (empty without {@code data.eval}). */
    public Map<String, Double> finalEval() {
        return summary.finalEval();
    }
}
