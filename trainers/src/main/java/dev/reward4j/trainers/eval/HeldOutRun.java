package dev.reward4j.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.Moments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished held-out pair evaluation ({@link HeldOutPairs}): the scored pairs, the metrics, the
 * data counters and the run record.
 *
 * @param ids pair ids in file order (row i of {@link HeldOutResult#chosenScores()} and {@code
 *     rejectedScores()})
 * @param sources {@code file:line} of each pair
 * @param result accuracy, preference NLL, reward and margin moments, calibration
 * @param counters read, pairs, scored, truncated (pairs), dropped, invalid, skipped, filtered (rows
 *     of other splits), prompts_extracted, completions_dropped
 * @param runInfo provenance (model, tokenizer digest, template, truncation, batch size, ...)
 */
public record HeldOutRun(
        List<String> ids,
        List<String> sources,
        HeldOutResult result,
        Map<String, Long> counters,
        Map<String, String> runInfo) {
    /** File name of the per-pair scores. */
    public static final String SCORES_FILE = "heldout-scores.jsonl";

    /** File name of the result. */
    public static final String RESULT_FILE = "heldout-result.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Validates and copies. */
    public HeldOutRun {
        int ni = ids.size();
        int ns = sources.size();
        Checks.argument(
                ni == result.pairs() && ns == ni,
                () ->
                        "held-out run: "
                                + ni
                                + " ids and "
                                + ns
                                + " sources for "
                                + result.pairs()
                                + " scored pairs; expected one each");
        ids = List.copyOf(ids);
        sources = List.copyOf(sources);
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        runInfo = Collections.unmodifiableMap(new LinkedHashMap<>(runInfo));
    }

    /**
     * Writes {@value #SCORES_FILE} (one line per pair: {@code
     * {"id","source","chosen","rejected","correct"}}, correct iff chosen &gt; rejected) and {@value
     * #RESULT_FILE} ({@link #toJson()}) into {@code dir}.
     *
     * @return the result file
     */
    public Path write(Path dir) {
        double[] c = result.chosenScores();
        double[] r = result.rejectedScores();
        List<ObjectNode> lines = new ArrayList<>(c.length);
        for (int i = 0; i < c.length; i++) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", ids.get(i));
            n.put("source", sources.get(i));
            n.put("chosen", c[i]);
            n.put("rejected", r[i]);
            n.put("correct", c[i] > r[i]);
            lines.add(n);
        }
        return ResultFiles.write(dir, SCORES_FILE, lines, RESULT_FILE, toJson(), "held-out eval");
    }

    /**
     * The result as a JSON tree: {@code pairs}, {@code metrics} (the {@link
     * HeldOutResult#metrics()} names), {@code margin}/{@code chosen}/{@code rejected} moments,
     * {@code calibration} (ECE, MCE, reliability bins), {@code counters} and {@code run}.
     */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("pairs", result.pairs());
        ObjectNode metrics = root.putObject("metrics");
        result.metrics().forEach(metrics::put);
        moments(root.putObject("margin"), result.margin());
        moments(root.putObject("chosen"), result.chosen());
        moments(root.putObject("rejected"), result.rejected());
        Calibration.Result cal = result.calibration();
        ObjectNode calibration = root.putObject("calibration");
        calibration.put("ece", cal.ece());
        calibration.put("mce", cal.mce());
        calibration.set("bins", JSON.valueToTree(cal.bins()));
        ObjectNode counts = root.putObject("counters");
        counters.forEach(counts::put);
        ObjectNode info = root.putObject("run");
        runInfo.forEach(info::put);
        return root;
    }

    /**
     * One-line summary, e.g. {@code accuracy 0.7500 ece 0.0412 nll 0.6012 margin 0.31 +- 0.20 (8
     * pairs)}.
     */
    public String summary() {
        return String.format(
                java.util.Locale.ROOT,
                "accuracy %.4f ece %.4f nll %.4f margin %.4f +- %.4f (%d pairs; %s)",
                result.accuracy(),
                result.calibration().ece(),
                result.preferenceNll(),
                result.margin().mean(),
                result.margin().std(),
                result.pairs(),
                counters);
    }

    private static void moments(ObjectNode n, Moments m) {
        n.put("mean", m.mean());
        n.put("std", m.std());
        n.put("min", m.min());
        n.put("max", m.max());
    }
}
