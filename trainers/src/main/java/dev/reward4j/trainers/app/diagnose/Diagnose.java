package dev.reward4j.trainers.app.diagnose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.SplitFilter;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.pipeline.Prepared;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.diagnostics.ChesFilter;
import dev.reward4j.trainers.diagnostics.Diagnosis;
import dev.reward4j.trainers.diagnostics.DisplacementMonitor;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.run.TrainRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * {@code reward4j diagnose}: reads and tokenizes a preference-pair file as training reads it
 * ({@code --format}, {@code --max-length}, {@code --truncation}, the training split of a file with
 * a split column), runs the policy (and the reference) over it and writes into {@code --output}:
 *
 * <ul>
 *   <li>{@code diagnostics-pairs.jsonl}: per pair its id, source, policy and reference log-probs,
 *       ranking and idealized-ranking verdicts, CHES, length-normalised CHES, mean top-k entropy
 *       and mass of each response, and (with {@code --ches-filter}) whether the filter drops it;
 *   <li>{@code diagnostics-result.json}: the means ({@link Diagnosis.Summary}), the filter's counts
 *       and threshold, the trajectory, the data counters and a run record;
 *   <li>with {@code --ches-filter F}: {@code ches-dropped-ids.txt} (highest CHES first) and, for a
 *       JSON Lines input, {@code ches-filtered.jsonl}: the input rows none of whose pairs were
 *       dropped (ready to train on);
 *   <li>with {@code --checkpoints DIR}: the mean chosen and rejected log-probs of every {@code
 *       checkpoint-<step>} directory under {@code DIR} (or {@code DIR/checkpoints}), preceded by
 *       the reference as step 0 when given, with the likelihood-displacement flag ({@link
 *       DisplacementMonitor#forEvaluation()}), also as {@code trajectory.jsonl}.
 * </ul>
 */
public final class Diagnose {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Diagnose() {}

    /**
     * Runs the request and prints a summary to {@code out}.
     *
     * @return the summary of the pairs
     * @throws ConfigException for bad input (exit status 2)
     * @throws IOException when an output cannot be written
     */
    public static Diagnosis.Summary run(DiagnoseRequest r, PrintStream out) throws IOException {
        ModelOptions options = ModelOptions.defaults().withDevice(DeviceSpec.resolve(r.device()));
        try (TextEncoder encoder = TextEncoder.load(r.tokenizer())) {
            Optional<SplitFilter> rows = r.dataSection().trainingRows(r.format());
            Prepared<TokenizedPair> pairs =
                    DataPipeline.pairs(
                            r.data(),
                            rows.map(f -> f.on(r.format().pairs())).orElse(r.format().pairs()),
                            encoder,
                            r.dataSection().truncationPolicy(),
                            ReadOptions.defaults());
            if (pairs.examples().isEmpty()) {
                throw new ConfigException(
                        "reward4j diagnose: --data "
                                + r.data()
                                + " has no pairs after reading and truncation (0); "
                                + pairs.counters().summary());
            }
            out.println("reward4j: " + r.data() + ": " + pairs.counters().summary());
            PairCollator collator = new PairCollator(TrainRun.padding(encoder));
            List<Diagnosis.PairValues> values;
            try (DecoderModel policy = DecoderModel.load(r.model(), ModelHead.LM, options);
                    DecoderModel refModel =
                            r.reference() == null
                                    ? null
                                    : DecoderModel.load(r.reference(), ModelHead.LM, options)) {
                FrozenReference reference = refModel == null ? null : new FrozenReference(refModel);
                values =
                        Diagnosis.pairs(
                                policy,
                                reference,
                                r.diagnostics(),
                                pairs.examples(),
                                collator::collate,
                                r.batchSize());
            }
            Diagnosis.Summary summary = Diagnosis.summarize(values);
            Files.createDirectories(r.output());
            ObjectNode result = JSON.createObjectNode();
            result.set("summary", JSON.valueToTree(summaryMap(summary)));
            boolean[] keep = null;
            if (r.chesFilter() != null) {
                double[] scores = values.stream().mapToDouble(Diagnosis.PairValues::ches).toArray();
                keep = r.chesFilter().keep(scores);
                result.set("ches_filter", filter(r, pairs.examples(), values, keep, out));
            }
            writePairs(r.output().resolve("diagnostics-pairs.jsonl"), values, keep);
            if (r.checkpoints() != null) {
                result.set("trajectory", trajectory(r, options, pairs.examples(), collator, out));
            }
            result.set("counters", JSON.valueToTree(countersMap(pairs)));
            result.set("run", JSON.valueToTree(record(r, encoder)));
            JSON.writeValue(r.output().resolve("diagnostics-result.json").toFile(), result);
            out.println(render(summary) + "; results in " + r.output());
            return summary;
        }
    }

    private static Map<String, Object> summaryMap(Diagnosis.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairs", s.pairs());
        m.put("ranking_accuracy", s.rankingAccuracy());
        m.put("idealized_ranking_accuracy", finiteOrNull(s.idealizedRankingAccuracy()));
        m.put("alignment_gap", finiteOrNull(s.alignmentGap()));
        m.put("logps_chosen", s.logpsChosen());
        m.put("logps_rejected", s.logpsRejected());
        m.put("ches", s.ches());
        m.put("ches_std", s.chesStd());
        m.put("ches_ln", s.chesLengthNormalized());
        m.put("topk_entropy", s.topKEntropy());
        m.put("topk_mass", s.topKMass());
        return m;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String render(Diagnosis.Summary s) {
        return String.format(
                Locale.ROOT,
                "reward4j: %d pairs: ranking accuracy %.4f%s, logps chosen %.4f rejected %.4f,"
                        + " CHES %.4f (std %.4f, length-normalised %.4f), top-k entropy %.4f, top-k"
                        + " mass %.4f",
                s.pairs(),
                s.rankingAccuracy(),
                Double.isNaN(s.idealizedRankingAccuracy())
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", idealized %.4f (gap %+.4f)",
                                s.idealizedRankingAccuracy(),
                                s.alignmentGap()),
                s.logpsChosen(),
                s.logpsRejected(),
                s.ches(),
                s.chesStd(),
                s.chesLengthNormalized(),
                s.topKEntropy(),
                s.topKMass());
    }

    private static void writePairs(Path file, List<Diagnosis.PairValues> values, boolean[] keep)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ObjectMapper line = new ObjectMapper();
            for (int i = 0; i < values.size(); i++) {
                Diagnosis.PairValues p = values.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", p.id());
                m.put("source", p.source());
                m.put("logps_chosen", p.policyChosen());
                m.put("logps_rejected", p.policyRejected());
                m.put("ref_logps_chosen", finiteOrNull(p.referenceChosen()));
                m.put("ref_logps_rejected", finiteOrNull(p.referenceRejected()));
                m.put("ranking_correct", p.rankingCorrect());
                m.put(
                        "idealized_correct",
                        Double.isNaN(p.idealizedCorrect()) ? null : p.idealizedCorrect() > 0.5);
                m.put("ches", p.ches());
                m.put("ches_ln", p.chesLengthNormalized());
                m.put("topk_entropy_chosen", p.topKEntropyChosen());
                m.put("topk_entropy_rejected", p.topKEntropyRejected());
                m.put("topk_mass_chosen", p.topKMassChosen());
                m.put("topk_mass_rejected", p.topKMassRejected());
                m.put("tokens_chosen", p.tokensChosen());
                m.put("tokens_rejected", p.tokensRejected());
                if (keep != null) {
                    m.put("ches_dropped", !keep[i]);
                }
                w.write(line.writeValueAsString(m));
                w.write('\n');
            }
        }
    }

    /**
     * Writes the filter's outputs and returns its record: fraction, kept and dropped counts,
     * threshold and (for JSON Lines input) the filtered file and its row counts.
     */
    private static ObjectNode filter(
            DiagnoseRequest r,
            List<TokenizedPair> pairs,
            List<Diagnosis.PairValues> values,
            boolean[] keep,
            PrintStream out)
            throws IOException {
        ChesFilter.Filtered<Diagnosis.PairValues> f =
                r.chesFilter()
                        .apply(
                                values,
                                values.stream().mapToDouble(Diagnosis.PairValues::ches).toArray());
        Set<Long> droppedLines = new HashSet<>();
        for (int i = 0; i < keep.length; i++) {
            if (!keep[i]) {
                droppedLines.add(pairs.get(i).source().line());
            }
        }
        // highest CHES first
        List<String> droppedIds = f.dropped().stream().map(Diagnosis.PairValues::id).toList();
        Files.write(r.output().resolve("ches-dropped-ids.txt"), droppedIds);
        ObjectNode node = JSON.createObjectNode();
        node.put("fraction", r.chesFilter().fraction());
        node.put("kept", f.kept().size());
        node.put("dropped", f.dropped().size());
        if (!f.dropped().isEmpty()) {
            node.put("threshold", f.threshold());
        }
        String name = r.data().getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".parquet")) {
            Path filtered = r.output().resolve("ches-filtered.jsonl");
            long[] counts = copyKeptRows(r.data(), filtered, droppedLines);
            node.put("file", filtered.toString());
            node.put("rows_kept", counts[0]);
            node.put("rows_dropped", counts[1]);
        }
        out.printf(
                Locale.ROOT,
                "reward4j: CHES filter %.3f drops %d of %d pairs (CHES >= %s)%n",
                r.chesFilter().fraction(),
                f.dropped().size(),
                values.size(),
                f.dropped().isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f", f.threshold()));
        return node;
    }

    /**
     * Copies the JSON Lines rows (gzip detected by its magic bytes) whose line is not in {@code
     * dropped}; returns {kept rows, dropped rows} (blank lines are copied and not counted).
     */
    private static long[] copyKeptRows(Path input, Path output, Set<Long> dropped)
            throws IOException {
        long kept = 0;
        long gone = 0;
        try (InputStream raw = open(input);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
                Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (dropped.contains(n)) {
                    gone++;
                    continue;
                }
                w.write(line);
                w.write('\n');
                kept += line.isBlank() ? 0 : 1;
            }
        }
        return new long[] {kept, gone};
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** The displacement trajectory over the checkpoints (the reference first, as step 0). */
    private static ArrayNode trajectory(
            DiagnoseRequest r,
            ModelOptions options,
            List<TokenizedPair> pairs,
            PairCollator collator,
            PrintStream out)
            throws IOException {
        Path dir = r.checkpoints();
        if (Files.isDirectory(dir.resolve("checkpoints"))) {
            dir = dir.resolve("checkpoints");
        }
        List<Path> steps = new Checkpointer(dir, 1).list();
        if (steps.isEmpty()) {
            throw new ConfigException(
                    "reward4j diagnose: --checkpoints "
                            + r.checkpoints()
                            + " holds no checkpoint-<step> directory; expected a run directory"
                            + " or its checkpoints/ directory");
        }
        DisplacementMonitor monitor = DisplacementMonitor.forEvaluation();
        ArrayNode points = JSON.createArrayNode();
        List<String> lines = new ArrayList<>();
        List<Map.Entry<Long, Path>> models = new ArrayList<>();
        if (r.reference() != null) {
            models.add(Map.entry(0L, r.reference()));
        }
        for (Path p : steps) {
            models.add(Map.entry(Checkpointer.stepOf(p), p));
        }
        for (Map.Entry<Long, Path> e : models) {
            double[] mean;
            try (DecoderModel m = DecoderModel.load(e.getValue(), ModelHead.LM, options)) {
                mean = Diagnosis.meanLogps(m, pairs, collator::collate, r.batchSize());
            }
            DisplacementMonitor.Observation o = monitor.observe(e.getKey(), mean[0], mean[1]);
            ObjectNode point = JSON.createObjectNode();
            point.put("step", o.step());
            point.put("model", e.getValue().toString());
            point.put("logps_chosen", o.logpsChosen());
            point.put("logps_rejected", o.logpsRejected());
            point.put("logps_chosen_change", o.chosenChange());
            point.put("logps_margin_change", o.marginChange());
            point.put("likelihood_displacement", o.displaced());
            points.add(point);
            lines.add(new ObjectMapper().writeValueAsString(point));
            out.printf(
                    Locale.ROOT,
                    "reward4j: step %d logps chosen %.4f rejected %.4f (chosen %+.4f, margin"
                            + " %+.4f)%s%n",
                    o.step(),
                    o.logpsChosen(),
                    o.logpsRejected(),
                    o.chosenChange(),
                    o.marginChange(),
                    o.displaced() ? "  LIKELIHOOD DISPLACEMENT" : "");
        }
        Files.write(r.output().resolve("trajectory.jsonl"), lines);
        return points;
    }

    private static Map<String, Long> countersMap(Prepared<TokenizedPair> pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("read", pairs.counters().readCount());
        m.put("parsed", pairs.counters().parsedCount());
        m.put("kept", pairs.counters().keptCount());
        m.put("truncated", pairs.counters().truncatedCount());
        m.put("dropped", pairs.counters().droppedCount());
        m.put("invalid", pairs.counters().invalidCount());
        m.put("skipped", pairs.counters().skippedCount());
        m.put("filtered", pairs.counters().filteredCount());
        return m;
    }

    private static Map<String, String> record(DiagnoseRequest r, TextEncoder encoder) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", r.model().toAbsolutePath().toString());
        m.put(
                "reference",
                r.reference() == null ? "none" : r.reference().toAbsolutePath().toString());
        m.put("data", r.data().toAbsolutePath().toString());
        m.put("format", r.format().key());
        m.put("top_k", Integer.toString(r.diagnostics().topK()));
        m.put("beta", Double.toString(r.diagnostics().beta()));
        m.put("preference_probability", r.diagnostics().probability().toString());
        m.put("truncation", r.dataSection().truncationPolicy().toString());
        m.put("batch_size", Integer.toString(r.batchSize()));
        m.put("device", r.device());
        m.putAll(RunInfo.tokenizerFacts(encoder.directory()));
        return m;
    }
}
