package dev.reward4j.trainers.run;

import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.metrics.RunSummary;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished {@link TrainRun} returns.
 *
 * @param loop the training loop's result (steps, losses, last train and eval metrics, timing)
 * @param summary the run's report: final and best metrics, throughput, data counters (also written
 *     to {@code summary.txt})
 * @param runDir the run directory ({@code train.output_dir})
 * @param modelDir the final model in Hugging Face format ({@code <runDir>/final})
 */
public record RunResult(LoopResult loop, RunSummary summary, Path runDir, Path modelDir) {
    /** The metrics file of the run ({@code metrics.jsonl}). */
    public Path metricsFile() {
        return runDir.resolve(TrainRun.METRICS_FILE);
    }

    /** The last training metrics. */
    public Map<String, Double> finalTrain() {
        return loop.lastTrain();
    }

    /** The last held-out metrics (empty without {@code data.eval}). */
    public Map<String, Double> finalEval() {
        return loop.lastEval();
    }
}
