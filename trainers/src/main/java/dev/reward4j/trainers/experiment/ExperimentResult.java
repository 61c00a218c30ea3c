package dev.reward4j.trainers.experiment;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one experiment method, as written to its {@code result.json} and collected into
 * the launcher summary.
 *
 * @param id {@code <class simple name>/<method name>}
 * @param className fully qualified class name
 * @param method method name
 * @param status {@code SUCCESSFUL}, {@code FAILED}, {@code ABORTED} or {@code SKIPPED}
 * @param failure the failure message ({@code null} when successful)
 * @param device device name
 * @param seed seed
 * @param durationMillis wall time of the method
 * @param metrics scalar metrics
 * @param series metric series (name to {@code [step, value]} points)
 * @param artifacts artifact names relative to {@code artifacts/}
 * @param outputDir the experiment's output directory
 */
public record ExperimentResult(
        String id,
        String className,
        String method,
        String status,
        String failure,
        String device,
        long seed,
        long durationMillis,
        Map<String, Double> metrics,
        Map<String, List<double[]>> series,
        List<String> artifacts,
        String outputDir) {
    /** Whether the experiment passed. */
    public boolean successful() {
        return "SUCCESSFUL".equals(status);
    }
}
