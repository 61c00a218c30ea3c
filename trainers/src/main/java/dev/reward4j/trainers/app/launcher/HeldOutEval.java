package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.SplitFilter;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.pipeline.Prepared;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.eval.HeldOutPairs;
import dev.reward4j.trainers.eval.HeldOutRun;
import dev.reward4j.trainers.eval.PairRewards;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.run.ModelFit;
import dev.reward4j.trainers.run.TrainRun;
import dev.reward4j.trainers.step.RewardPairsStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reward4j eval} on a held-out preference file, through the training data path: the
 * tokenizer is loaded as {@code train} loads it, the file is read and tokenized by {@code
 * DataPipeline.pairs} with the truncation policy of {@link DataSection#truncationPolicy()} ({@code
 * --max-length} and {@code --truncation} mean {@code data.max_length} and {@code data.truncation},
 * with the same defaults), pairs are collated by {@link PairCollator} with the training padding and
 * scored by the training rewards ({@link RewardPairsStep#rewards}, or with {@code --reference} the
 * implicit reward {@code sum log pi(y|x) - sum log pi_ref(y|x)} of the DPO objective, without
 * beta). On the file used as {@code data.eval} the metrics equal the training-time {@code eval}
 * record. A model with a {@code reward4j-head.json} or an ensemble directory is read by {@link
 * LayoutEval}; data with contexts adds the context-flip metrics of {@link ContextFlipEval}.
 */
final class HeldOutEval {
    private HeldOutEval() {}

    /**
     * Evaluates {@code data} read with {@code format} and writes the result files into {@code dir}.
     */
    /**
     * A held-out run and the metrics beyond {@link HeldOutRun}'s (ensemble uncertainty,
     * context-flip accuracy).
     */
    record HeldOutReport(HeldOutRun run, Map<String, Double> extra) {}

    static HeldOutReport run(
            ModelAccess access,
            DataFormat format,
            Path data,
            int batchSize,
            Integer maxLength,
            String truncationName,
            EnsembleAggregation aggregation,
            Path dir)
            throws Exception {
        Path model = access.model();
        TruncationPolicy truncation =
                truncation(
                        access.maxLength(
                                maxLength, DataSection.defaults().maxLength(), "--max-length"),
                        truncationName);
        ModelConfig modelConfig = access.config();
        try (TextEncoder encoder = TextEncoder.load(access.tokenizerDir())) {
            // read and tokenize before loading a model: a bad file fails fast with its line and
            // field
            // a file holding several splits is evaluated on its held-out rows
            // (helpsteer2-preference:
            // split != "train"), as training evaluates data.eval
            Optional<SplitFilter> rows = DataSection.defaults().heldOutRows(format);
            Format<PreferencePair> pairFormat =
                    rows.map(r -> r.on(format.pairs())).orElse(format.pairs());
            Prepared<TokenizedPair> pairs =
                    DataPipeline.pairs(
                            data, pairFormat, encoder, truncation, ReadOptions.defaults());
            ModelFit.check(pairs.examples(), modelConfig, model);
            Map<String, String> record = new LinkedHashMap<>();
            record.put("model", model.toAbsolutePath().toString());
            record.put("data", data.toAbsolutePath().toString());
            record.put("format", format.key());
            record.put("rows", rows.map(SplitFilter::toString).orElse("all"));
            record.put("dtype", "float32");
            record.putAll(encoding(encoder, truncation));
            PairCollator collator = new PairCollator(TrainRun.padding(encoder));
            HeldOutRun run;
            Map<String, Double> extra = new LinkedHashMap<>();
            Optional<LayoutEval> layout =
                    access.reference() == null
                            ? LayoutEval.open(
                                    model, access.tokenizerDir(), access.options(), aggregation)
                            : Optional.empty();
            if (layout.isPresent()) {
                try (LayoutEval e = layout.get()) {
                    e.users(pairs.examples());
                    record.put("reward", e.rewardFact());
                    run = evaluate(pairs, collator, e.rewards(), e.model(), batchSize, record);
                    extra.putAll(e.extraMetrics());
                    e.writePairs(dir);
                }
            } else if (access.reference() == null) {
                try (DecoderModel m =
                        RewardModels.load(model, access.tokenizerDir(), access.options())) {
                    record.put("reward", "score head, column 0");
                    record.put("pooling", RewardModels.poolingFact(m));
                    run =
                            evaluate(
                                    pairs,
                                    collator,
                                    b -> RewardPairsStep.rewards(m, b),
                                    m,
                                    batchSize,
                                    record);
                }
            } else {
                Path referenceDir = access.reference();
                try (DecoderModel policy =
                                DecoderModel.load(model, ModelHead.LM, access.options());
                        DecoderModel reference =
                                DecoderModel.load(referenceDir, ModelHead.LM, access.options())) {
                    FrozenReference pi = new FrozenReference(policy);
                    FrozenReference ref = new FrozenReference(reference);
                    record.put(
                            "reward",
                            "log-ratio vs "
                                    + referenceDir
                                    + " (summed response log-probs, no beta)");
                    run =
                            evaluate(
                                    pairs,
                                    collator,
                                    b ->
                                            pi.chosenAndRejected(b, null)
                                                    .sub(ref.chosenAndRejected(b, null)),
                                    policy,
                                    batchSize,
                                    record);
                }
            }
            extra.putAll(ContextFlipEval.metrics(data, pairFormat, run));
            run.write(dir);
            if (!extra.isEmpty()) {
                // the result file's metrics hold the extra ones too
                ObjectNode json = run.toJson();
                ObjectNode metrics = (ObjectNode) json.get("metrics");
                extra.forEach(metrics::put);
                Path tmp = dir.resolve(HeldOutRun.RESULT_FILE + ".tmp");
                Files.writeString(
                        tmp,
                        new ObjectMapper()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(json));
                Files.move(
                        tmp,
                        dir.resolve(HeldOutRun.RESULT_FILE),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            return new HeldOutReport(run, extra);
        }
    }

    private static HeldOutRun evaluate(
            Prepared<TokenizedPair> pairs,
            PairCollator collator,
            PairRewards rewards,
            DecoderModel model,
            int batchSize,
            Map<String, String> record) {
        return Gradients.withGradModeOff(
                () ->
                        HeldOutPairs.evaluate(
                                pairs,
                                collator::collate,
                                rewards,
                                model.manager(),
                                batchSize,
                                () -> record));
    }

    /**
     * The truncation policy of {@code --max-length} and {@code --truncation}: {@link
     * DataSection#truncationPolicy()} of the default {@code data:} section with those two keys
     * replaced.
     */
    static TruncationPolicy truncation(int maxLength, String truncationName) {
        DataSection defaults = DataSection.defaults();
        String truncation = truncationName == null ? defaults.truncation() : truncationName;
        try {
            return defaults.withTruncation(maxLength, truncation).truncationPolicy();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "--max-length/--truncation: "
                            + e.getMessage()
                            + " (they mean data.max_length and data.truncation)",
                    e);
        }
    }

    /**
     * Run-record facts of the tokenization: tokenizer and its digest, template use, truncation,
     * padding.
     */
    private static Map<String, String> encoding(TextEncoder encoder, TruncationPolicy truncation) {
        Map<String, String> m = new LinkedHashMap<>(RunInfo.tokenizerFacts(encoder.directory()));
        m.put(
                "template",
                encoder.chatTemplate().isPresent()
                        ? "conversations: tokenizer chat template; plain text: as is"
                        : "none");
        m.put("truncation", truncation.toString());
        m.put("max_length", Integer.toString(truncation.maxLength()));
        m.put("padding_side", "right");
        return m;
    }
}
