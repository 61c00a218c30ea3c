package dev.reward4j.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished RewardBench-compatible evaluation: the per-row scores, the result and the run record.
 *
 * @param version scoring rules applied
 * @param rows per-row scores in file order
 * @param result per-subset scores, rollup and overall
 * @param runInfo provenance (dtype, tokenizer digest, template, truncation, batch size, model
 *     digest, ...)
 */
public record RewardBenchRun(
        BenchVersion version,
        List<RowScores> rows,
        RewardBenchResult result,
        Map<String, String> runInfo) {
    /** File name of the per-row scores. */
    public static final String SCORES_FILE = "rewardbench-scores.jsonl";

    /** File name of the result. */
    public static final String RESULT_FILE = "rewardbench-result.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies. */
    public RewardBenchRun {
        rows = List.copyOf(rows);
        runInfo = Collections.unmodifiableMap(new LinkedHashMap<>(runInfo));
    }

    /**
     * Writes {@value #SCORES_FILE} and {@value #RESULT_FILE} (run record, subsets, sections or ties
     * detail, overall) into {@code dir}. Each scores line is {@code
     * {"id","subset","chosen":[...],"rejected":[...]}} plus the row's outcome: v1 {@code "correct":
     * bool}; v2 best-of-N {@code "result": c/k}; v2 Ties {@code "margin"} and {@code "spread"}.
     *
     * @return the result file
     */
    public Path write(Path dir) {
        List<ObjectNode> lines = new ArrayList<>(rows.size());
        for (RowScores r : rows) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", r.id());
            n.put("subset", r.subset());
            ArrayNode c = n.putArray("chosen");
            for (double v : r.chosen()) {
                c.add(v);
            }
            ArrayNode rj = n.putArray("rejected");
            for (double v : r.rejected()) {
                rj.add(v);
            }
            r.numCorrect().ifPresent(k -> n.put("num_correct", k));
            rowOutcome(r, n);
            lines.add(n);
        }
        return ResultFiles.write(dir, SCORES_FILE, lines, RESULT_FILE, toJson(), "rewardbench");
    }

    private void rowOutcome(RowScores r, ObjectNode n) {
        if (version == BenchVersion.V1) {
            n.put("correct", r.chosen()[0] > r.rejected()[0]);
        } else if (RewardBenchV2.isTies(r.subset())) {
            double[] ms = RewardBenchV2.marginAndSpread(r);
            n.put("margin", ms[0]);
            n.put("spread", ms[1]);
        } else {
            n.put("result", RewardBenchV2.bestOfN(r));
        }
    }

    /** The result as a JSON tree (what {@link #write} stores in {@value #RESULT_FILE}). */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", version.name().toLowerCase(java.util.Locale.ROOT));
        root.put("overall", result.overall());
        ObjectNode subsets = root.putObject("subsets");
        for (SubsetScore s : result.subsets()) {
            ObjectNode n = subsets.putObject(s.subset());
            n.put("score", s.score());
            n.put("rows", s.rows());
        }
        if (result instanceof V1Result v1) {
            ObjectNode sections = root.putObject("sections");
            v1.sections().forEach(sections::put);
            ArrayNode unmapped = root.putArray("unmapped_subsets");
            v1.unmappedSubsets().forEach(unmapped::add);
        } else if (result instanceof V2Result v2) {
            v2.ties().ifPresent(t -> root.set("ties", JSON.valueToTree(t)));
        }
        ObjectNode info = root.putObject("run");
        runInfo.forEach(info::put);
        return root;
    }
}
