package dev.reward4j.trainers.app.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the main job reports (also written to {@code summary.json}).
 *
 * @param outputDir the output directory
 * @param accuracy held-out strict pairwise accuracy of the trained model (ties wrong)
 * @param ceiling the ground-truth ceiling on the same held-out pairs: {@code E[max(p, 1 - p)]}
 * @param oracleAccuracy accuracy of the ground-truth reward on the realised held-out labels (the
 *     ceiling's estimate)
 * @param heldOutPairs number of held-out pairs
 * @param steps optimizer steps run
 * @param finalTrainLoss training loss of the last step
 * @param trainSeconds wall time of the training loop
 * @param totalSeconds wall time of the whole job (data, training, evaluation, saving, report)
 * @param heldOutMetrics every held-out metric (accuracy, ECE, reward moments, ...)
 * @param modelDir the saved Hugging Face checkpoint
 * @param report the HTML report
 */
public record DemoResult(
        Path outputDir,
        double accuracy,
        double ceiling,
        double oracleAccuracy,
        int heldOutPairs,
        long steps,
        double finalTrainLoss,
        double trainSeconds,
        double totalSeconds,
        Map<String, Double> heldOutMetrics,
        Path modelDir,
        Path report) {}
