package dev.reward4j.trainers.loop;

import java.util.List;
import java.util.Map;

/**
 * What a finished {@link TrainLoop#run()} reports.
 *
 * @param steps the last completed optimizer step
 * @param losses the training loss of every step run in this call (index 0 = first step of this
 *     call)
 * @param lastTrain the metrics of the last step
 * @param lastEval the metrics of the last evaluation (empty when none ran)
 * @param skippedSteps steps skipped by the loss scaler
 * @param seconds wall time of this call
 * @param lastCheckpoint directory of the last checkpoint written, or null
 * @param tokens real tokens processed in this call
 * @param examples normalisation units (pairs, lists, examples) processed in this call
 */
public record LoopResult(
        long steps,
        List<Double> losses,
        Map<String, Double> lastTrain,
        Map<String, Double> lastEval,
        long skippedSteps,
        double seconds,
        java.nio.file.Path lastCheckpoint,
        long tokens,
        double examples) {}
