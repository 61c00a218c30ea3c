package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.pipeline.Prepared;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.metrics.HostArrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Evaluates a reward model (or a policy's implicit reward) on an ordinary held-out preference file
 * exactly as training evaluates {@code data.eval}: the pairs come tokenized by the training
 * pipeline ({@code DataPipeline.pairs}: the {@code data.format} reader, {@code ExampleTokenizer}
 * with the {@code data.truncation} policy; plain text stays plain, conversations use the chat
 * template), are collated in consecutive batches by the training collator and scored by {@link
 * PairRewards} (the training objective's rewards), and the scores are reported by {@link
 * HeldOutEvaluator} (accuracy, preference NLL, reward and margin moments, ECE). Rows never interact
 * (right padding, score at the position the model's pooling gives within each row), so the result
 * does not depend on the batch size beyond float32 rounding.
 */
public final class HeldOutPairs {
    private HeldOutPairs() {}

    /**
     * True when the first row of {@code file} has a {@code subset} field (a RewardBench-style row,
     * see {@link BenchmarkReader}); false for an empty file.
     */
    public static boolean looksLikeRewardBench(Path file) {
        Format<Boolean> hasSubset = (row, out) -> out.accept(row.has("subset"));
        try (RecordStream<Boolean> s =
                DataReader.open(file, hasSubset, ReadOptions.defaults().withMaxRows(1))) {
            return s.hasNext() && s.next();
        }
    }

    /**
     * Scores every tokenized pair in consecutive batches of {@code batchSize} pairs and evaluates
     * the scores. Each batch is collated on a sub-manager of {@code manager} and scored inside an
     * {@link NDScope}; both are closed before the next batch. Call it with gradient recording off.
     *
     * @param pairs the tokenized pairs and the pipeline's counters (read, parsed, kept, truncated,
     *     dropped, invalid, skipped)
     * @param collate the training collator, e.g. {@code new PairCollator(padding)::collate}
     * @param rewards the rewards of a batch
     * @param manager parent of the per-batch managers (the model's manager)
     * @param batchSize pairs per batch, {@code > 0}
     * @param runInfo provenance recorded with the result; {@code batch_size} is added
     */
    @SuppressWarnings("try") // the NDScope is used for its close(), never referenced
    public static HeldOutRun evaluate(
            Prepared<TokenizedPair> pairs,
            BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate,
            PairRewards rewards,
            NDManager manager,
            int batchSize,
            Supplier<Map<String, String>> runInfo) {
        Checks.positive(batchSize, "--batch-size");
        DataCounters counters = pairs.counters();
        List<TokenizedPair> all = pairs.examples();
        Checks.argument(
                !all.isEmpty(),
                () ->
                        "held-out eval: no pair to score ("
                                + counters.summary()
                                + "); expected a file with at least one valid preference pair that"
                                + " fits the truncation");
        int n = all.size();
        double[] chosen = new double[n];
        double[] rejected = new double[n];
        for (int s = 0; s < n; s += batchSize) {
            List<TokenizedPair> chunk = all.subList(s, Math.min(n, s + batchSize));
            int b = chunk.size();
            double[] v;
            try (NDManager m = manager.newSubManager();
                    PairBatch batch = collate.apply(chunk, m);
                    NDScope scope = new NDScope()) {
                NDArray r = rewards.rewards(batch);
                Checks.state(
                        r.getShape().dimension() == 1 && r.getShape().get(0) == 2L * b,
                        () ->
                                "held-out eval: rewards of"
                                        + " shape "
                                        + r.getShape()
                                        + " for a batch of "
                                        + b
                                        + " pairs; expected (2B) with 2B = "
                                        + (2 * b));
                v = HostArrays.of(r);
            }
            System.arraycopy(v, 0, chosen, s, b);
            System.arraycopy(v, b, rejected, s, b);
        }
        List<String> ids = new ArrayList<>(n);
        List<String> sources = new ArrayList<>(n);
        for (TokenizedPair p : all) {
            ids.add(p.id());
            sources.add(p.source().toString());
        }
        Map<String, String> info = new LinkedHashMap<>(runInfo.get());
        info.put("batch_size", Integer.toString(batchSize));
        return new HeldOutRun(
                ids,
                sources,
                HeldOutEvaluator.evaluate(chosen, rejected),
                counterMap(counters),
                info);
    }

    private static Map<String, Long> counterMap(DataCounters c) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("read", c.readCount());
        m.put("pairs", c.parsedCount());
        m.put("scored", c.keptCount());
        m.put("truncated", c.truncatedCount());
        m.put("dropped", c.droppedCount());
        m.put("invalid", c.invalidCount());
        m.put("skipped", c.skippedCount());
        m.put("filtered", c.filteredCount());
        m.put("prompts_extracted", c.promptsExtractedCount());
        m.put("completions_dropped", c.completionsDroppedCount());
        return m;
    }
}
