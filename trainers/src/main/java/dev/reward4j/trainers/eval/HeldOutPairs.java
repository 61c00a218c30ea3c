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
import dev.reward4j.trainers.optim.Gradients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
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
 *
 * <p>{@link #score(List, PairRewards, NDManager, BatchObserver)} is the one held-out pair-scoring
 * loop: training-time evaluation ({@code RewardPairsEvaluator}), {@code reward4j eval} and the demo
 * all score pairs through it.
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
     * The rewards of held-out pairs: row i of {@code chosen} and {@code rejected} is pair i.
     *
     * @param chosen chosen rewards
     * @param rejected rejected rewards
     */
    public record Scores(double[] chosen, double[] rejected) {
        /** The evaluation of these rewards ({@link HeldOutEvaluator}). */
        public HeldOutResult evaluate() {
            return HeldOutEvaluator.evaluate(chosen, rejected);
        }
    }

    /** Sees each scored batch (e.g. to sum the training loss over the held-out pairs). */
    @FunctionalInterface
    public interface BatchObserver {
        /** Nothing to observe. */
        BatchObserver NONE = (batch, rewards) -> {};

        /**
         * Called inside the batch's scope with its {@code (2B)} rewards (chosen rows, then rejected
         * rows); arrays created here die with the scope.
         */
        void observe(PairBatch batch, NDArray rewards);
    }

    /**
     * The one held-out pair-scoring loop (training-time evaluation, {@code reward4j eval}, the
     * demo): each batch is made by its factory on a sub-manager of {@code manager}, scored inside
     * an {@link NDScope} with grad mode off, shown to {@code observer} and copied to the host; the
     * batch, its manager and every array of the forward pass are closed before the next batch.
     *
     * @param batches held-out batch factories, in order
     * @param rewards the rewards of a batch (e.g. {@code RewardPairsStep.rewards})
     * @param manager parent of the per-batch managers (the model's manager)
     * @param observer sees each batch with its rewards
     */
    @SuppressWarnings("try") // the NDScope is used for its close(), never referenced
    public static Scores score(
            List<Function<NDManager, PairBatch>> batches,
            PairRewards rewards,
            NDManager manager,
            BatchObserver observer) {
        List<double[]> chosen = new ArrayList<>();
        List<double[]> rejected = new ArrayList<>();
        Gradients.withGradModeOff(
                () -> {
                    for (Function<NDManager, PairBatch> factory : batches) {
                        try (NDManager m = manager.newSubManager();
                                PairBatch batch = factory.apply(m);
                                NDScope scope = new NDScope()) {
                            int b = batch.pairs();
                            NDArray r = rewards.rewards(batch);
                            Checks.state(
                                    r.getShape().dimension() == 1 && r.getShape().get(0) == 2L * b,
                                    () ->
                                            "held-out eval: rewards of shape "
                                                    + r.getShape()
                                                    + " for a batch of "
                                                    + b
                                                    + " pairs; expected (2B) with 2B = "
                                                    + (2 * b));
                            observer.observe(batch, r);
                            double[] v = HostArrays.of(r);
                            chosen.add(Arrays.copyOfRange(v, 0, b));
                            rejected.add(Arrays.copyOfRange(v, b, 2 * b));
                        }
                    }
                    return null;
                });
        return new Scores(concat(chosen), concat(rejected));
    }

    /**
     * {@link #score(List, PairRewards, NDManager, BatchObserver)} of tokenized pairs in consecutive
     * batches of {@code batchSize} pairs, collated by {@code collate}.
     */
    public static Scores score(
            List<TokenizedPair> pairs,
            BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate,
            PairRewards rewards,
            NDManager manager,
            int batchSize) {
        Checks.positive(batchSize, "held-out eval: batch size");
        List<Function<NDManager, PairBatch>> batches = new ArrayList<>();
        for (int s = 0; s < pairs.size(); s += batchSize) {
            List<TokenizedPair> chunk = pairs.subList(s, Math.min(pairs.size(), s + batchSize));
            batches.add(m -> collate.apply(chunk, m));
        }
        return score(batches, rewards, manager, BatchObserver.NONE);
    }

    /**
     * Scores every tokenized pair in consecutive batches of {@code batchSize} pairs ({@link
     * #score(List, BiFunction, PairRewards, NDManager, int)}) and evaluates the scores.
     *
     * @param pairs the tokenized pairs and the pipeline's counters (read, parsed, kept, truncated,
     *     dropped, invalid, skipped)
     * @param collate the training collator, e.g. {@code new PairCollator(padding)::collate}
     * @param rewards the rewards of a batch
     * @param manager parent of the per-batch managers (the model's manager)
     * @param batchSize pairs per batch, {@code > 0}
     * @param runInfo provenance recorded with the result; {@code batch_size} is added
     */
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
        Scores scores = score(all, collate, rewards, manager, batchSize);
        List<String> ids = new ArrayList<>(all.size());
        List<String> sources = new ArrayList<>(all.size());
        for (TokenizedPair p : all) {
            ids.add(p.id());
            sources.add(p.source().toString());
        }
        Map<String, String> info = new LinkedHashMap<>(runInfo.get());
        info.put("batch_size", Integer.toString(batchSize));
        return new HeldOutRun(ids, sources, scores.evaluate(), counterMap(counters), info);
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
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
