package dev.reward4j.trainers.eval;

import dev.reward4j.core.util.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a RewardBench-compatible evaluation: score production (a {@link TextScorer}, batched by
 * {@link BatchedScorer}) followed by pure scoring ({@link RewardBenchV1} or {@link RewardBenchV2}).
 *
 * <p>Every completion is scored alone as {@code prompt + [assistant: completion]}, chosen before
 * rejected, rows in file order; with a batch-invariant scorer the result is identical at any batch
 * size.
 */
public final class RewardBenchEvaluator {
    /**
     * Tokens kept per sequence (left truncation) when scoring RewardBench rows unless told
     * otherwise ({@code reward4j eval --max-length}).
     */
    public static final int DEFAULT_MAX_LENGTH = 2048;

    private RewardBenchEvaluator() {}

    /**
     * The scoring requests of {@code rows}: every completion of every row, rows in order, chosen
     * first.
     */
    public static List<ScoringRequest> requests(List<BenchRow> rows) {
        List<ScoringRequest> out = new ArrayList<>();
        for (BenchRow r : rows) {
            List<String> completions = r.completions();
            for (int i = 0; i < completions.size(); i++) {
                out.add(new ScoringRequest(r.id(), i, r.prompt(), completions.get(i)));
            }
        }
        return out;
    }

    /**
     * Scores every completion of {@code rows} with {@code scorer} in batches of {@code batchSize}.
     */
    public static List<RowScores> scoreRows(List<BenchRow> rows, TextScorer scorer, int batchSize) {
        double[] flat = new BatchedScorer(scorer, batchSize).score(requests(rows));
        List<RowScores> out = new ArrayList<>(rows.size());
        int at = 0;
        for (BenchRow r : rows) {
            int nc = r.chosen().size();
            int nr = r.rejected().size();
            out.add(
                    new RowScores(
                            r.id(),
                            r.subset(),
                            Arrays.copyOfRange(flat, at, at + nc),
                            Arrays.copyOfRange(flat, at + nc, at + nc + nr),
                            r.numCorrect()));
            at += nc + nr;
        }
        return out;
    }

    /**
     * Batch-size-1 cross-check: scores every completion at {@code batchSize} and again one at a
     * time, and returns the largest absolute difference (0 for a batch-invariant scorer; float32
     * rounding for a model-backed one). Costs a second full scoring pass; record the value in the
     * run record.
     */
    public static double maxBatchDeviation(List<BenchRow> rows, TextScorer scorer, int batchSize) {
        List<ScoringRequest> req = requests(rows);
        double[] batched = new BatchedScorer(scorer, batchSize).score(req);
        double[] single = new BatchedScorer(scorer, 1).score(req);
        double max = 0;
        for (int i = 0; i < batched.length; i++) {
            max = Math.max(max, Math.abs(batched[i] - single[i]));
        }
        return max;
    }

    /** Pure scoring of already scored rows with the given version's rules. */
    public static RewardBenchResult score(
            List<RowScores> rows, BenchVersion version, SectionMap sections) {
        return switch (version) {
            case V1 -> RewardBenchV1.score(rows, sections);
            case V2 -> RewardBenchV2.score(rows);
        };
    }

    /**
     * Scores {@code rows} and applies the rules of {@code version} ({@link BenchVersion#detect}
     * when null).
     *
     * @param runInfo provenance recorded with the result (dtype, tokenizer digest, template,
     *     truncation side/length, model digest, ...); {@code batch_size} is added
     */
    public static RewardBenchRun evaluate(
            List<BenchRow> rows,
            TextScorer scorer,
            int batchSize,
            BenchVersion version,
            SectionMap sections,
            Map<String, String> runInfo) {
        Checks.argument(
                !rows.isEmpty(),
                "rewardbench: no rows to evaluate; expected a non-empty benchmark file");
        BenchVersion v = version == null ? BenchVersion.detect(rows) : version;
        List<RowScores> scored = scoreRows(rows, scorer, batchSize);
        java.util.Map<String, String> info = new java.util.LinkedHashMap<>(runInfo);
        info.put("batch_size", Integer.toString(batchSize));
        info.put("version", v.name().toLowerCase(java.util.Locale.ROOT));
        return new RewardBenchRun(v, scored, score(scored, v, sections), info);
    }

    /**
     * Reads {@code file} and evaluates it with the official section map and auto-detected version.
     */
    public static RewardBenchRun evaluate(
            Path file, TextScorer scorer, int batchSize, Map<String, String> runInfo) {
        return evaluate(
                BenchmarkReader.read(file),
                scorer,
                batchSize,
                null,
                SectionMap.official(),
                runInfo);
    }
}
