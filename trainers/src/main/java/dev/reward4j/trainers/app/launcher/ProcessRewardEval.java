package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.StepwiseFormat;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.metrics.Auroc;
import dev.reward4j.trainers.process.StepAggregation;
import dev.reward4j.trainers.process.StepRewards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reward4j eval} of a process reward model on step-annotated solutions (TRL's stepwise
 * layout: {@code prompt}, {@code completions}, {@code labels}), scored as {@code score} scores step
 * rows. A step counts as correct when its label is at least 0.5. Metrics:
 *
 * <ul>
 *   <li>{@code prm/step_accuracy}: steps whose reward is on the label's side of 0.5;
 *   <li>{@code prm/solution_accuracy}: solutions whose aggregate ({@code --step-aggregation}) is on
 *       the side of 0.5 of "every step correct";
 *   <li>{@code prm/solution_auroc}: how well the aggregate ranks correct solutions above wrong
 *       ones;
 *   <li>{@code prm/first_error_accuracy}: among solutions with a wrong step, those whose first step
 *       scored below 0.5 is the first wrong step (what a verifier needs to localise an error);
 *   <li>counts: {@code prm/solutions}, {@code prm/steps}, {@code prm/solutions_with_error} and
 *       {@code prm/steps_cut} (steps past {@code --max-length}, which get no reward and count
 *       nowhere).
 * </ul>
 *
 * Per solution, {@value #FILE} holds the step rewards, the labels, the aggregate and the first step
 * below 0.5.
 */
final class ProcessRewardEval {
    /** Per-solution results file in the results directory. */
    static final String FILE = "heldout-steps.jsonl";

    private ProcessRewardEval() {}

    /**
     * Evaluates {@code data} with {@code scorer} (a process reward model) and writes {@value #FILE}
     * into {@code dir}.
     *
     * @return the metrics, in report order
     */
    static Map<String, Double> run(
            RewardScorer scorer, Path data, StepAggregation aggregation, Path dir)
            throws Exception {
        List<StepwiseExample> solutions = new ArrayList<>();
        try (RecordStream<StepwiseExample> in =
                DataReader.open(data, new StepwiseFormat(), ReadOptions.defaults())) {
            while (in.hasNext()) {
                solutions.add(in.next());
            }
        }
        if (solutions.isEmpty()) {
            throw new IllegalArgumentException(
                    "eval: "
                            + data
                            + " has no step-annotated solution; expected rows {prompt,"
                            + " completions, labels}");
        }
        List<double[]> rewards = scorer.stepRewards(solutions);
        List<String> ids = solutions.stream().map(StepwiseExample::id).toList();
        StepRewards all = new StepRewards(ids, rewards);
        int[] firstBelow = all.firstBelow(0.5);
        double[] aggregate = all.aggregate(aggregation);
        long steps = 0;
        long stepsRight = 0;
        long cut = 0;
        long solutionsRight = 0;
        long withError = 0;
        long localised = 0;
        boolean[] correct = new boolean[solutions.size()];
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < solutions.size(); i++) {
            double[] labels = solutions.get(i).labels();
            double[] r = rewards.get(i);
            cut += labels.length - r.length;
            int firstWrong = -1;
            for (int s = 0; s < labels.length; s++) {
                if (labels[s] < 0.5 && firstWrong < 0) {
                    firstWrong = s;
                }
            }
            for (int s = 0; s < r.length; s++) {
                steps++;
                stepsRight += (r[s] >= 0.5) == (labels[s] >= 0.5) ? 1 : 0;
            }
            correct[i] = firstWrong < 0;
            solutionsRight += (aggregate[i] >= 0.5) == correct[i] ? 1 : 0;
            if (firstWrong >= 0) {
                withError++;
                localised += firstBelow[i] == firstWrong ? 1 : 0;
            }
            var row = json.createObjectNode();
            row.put("id", ids.get(i));
            row.put("source", solutions.get(i).source().toString());
            row.set("step_rewards", json.valueToTree(r));
            row.set("labels", json.valueToTree(labels));
            row.put("reward", aggregate[i]);
            row.put("first_below", firstBelow[i]);
            row.put("first_error", firstWrong);
            lines.add(row.toString());
        }
        Files.write(dir.resolve(FILE), lines);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("prm/step_accuracy", steps == 0 ? Double.NaN : (double) stepsRight / steps);
        m.put("prm/solution_accuracy", (double) solutionsRight / solutions.size());
        m.put("prm/solution_auroc", Auroc.of(aggregate, correct));
        m.put(
                "prm/first_error_accuracy",
                withError == 0 ? Double.NaN : (double) localised / withError);
        m.put("prm/solutions", (double) solutions.size());
        m.put("prm/steps", (double) steps);
        m.put("prm/solutions_with_error", (double) withError);
        m.put("prm/steps_cut", (double) cut);
        return m;
    }
}
