package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.AdaptiveMargin;
import dev.reward4j.core.data.PreferenceStrength;
import dev.reward4j.core.data.ReversalFlip;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.ensemble.EnsembleScorer;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.run.TrainRun;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j ensemble relabel}: the data tools of "Secrets of RLHF in Large Language Models
 * Part II: Reward Modeling" (arXiv 2401.06080) on a TRL pair file (JSONL). Every pair is read,
 * tokenized and scored as training reads data; its preference strength is the mean and standard
 * deviation over the ensemble's members of \( r_k(y_c) - r_k(y_r) \). Each row is written back with
 * {@code strength_mean} and {@code strength_std}; with {@code --flip-confidence Z} a pair the
 * ensemble reverses with {@code -mean/std >= Z} has chosen and rejected exchanged ({@code flipped:
 * true}); with {@code --margin-scale S} its {@code margin} (the column the BT loss subtracts)
 * becomes {@code min(S * max(mean, 0), --margin-max)} in the written orientation. Rows the
 * tokenizer drops (too long) are written unchanged and counted.
 */
@Command(
        name = "relabel",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Measure every pair's preference strength with an ensemble and write the pairs back"
                    + " with strength_mean/strength_std, flipping pairs the ensemble confidently"
                    + " reverses (--flip-confidence) and setting adaptive margins"
                    + " (--margin-scale)."
        })
final class EnsembleRelabelCommand implements Callable<Integer> {
    @ParentCommand EnsembleCommand ensemble;

    @Option(
            names = "--ensemble",
            required = true,
            paramLabel = "DIR",
            description = "Ensemble directory (ensemble.json).")
    Path dir;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "TRL preference pairs (JSONL).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "JSONL.")
    Path output;

    @Option(
            names = "--flip-confidence",
            paramLabel = "Z",
            description =
                    "Flip pairs with strength mean < 0 and -mean/std >= Z (default: no flips).")
    Double flipConfidence;

    @Option(
            names = "--margin-scale",
            paramLabel = "S",
            description = "Set margin = min(S * max(mean, 0), --margin-max) (default: no margins).")
    Double marginScale;

    @Option(
            names = "--margin-max",
            paramLabel = "M",
            defaultValue = "10",
            description = "Largest adaptive margin (default ${DEFAULT-VALUE}).")
    double marginMax;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Pairs per forward batch (default: data.eval_batch_size, 16).")
    Integer batchSize;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "cpu",
            description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
        PrintStream out = ensemble.root.out;
        int batch = batchSize != null ? batchSize : DataSection.defaults().evalBatchSize();
        EvalCommand.Inputs.positive(batch, "--batch-size");
        EvalCommand.Inputs.file(input, "--input");
        if (!RewardEnsemble.isEnsemble(dir)) {
            throw new ConfigException(
                    "--ensemble: "
                            + dir
                            + " has no ensemble.json; expected a directory written by reward4j"
                            + " ensemble train");
        }
        String name = input.getFileName().toString();
        if (!name.endsWith(".jsonl")) {
            throw new ConfigException(
                    "--input: " + input + " is not a .jsonl file; expected TRL pairs as JSONL");
        }
        ReversalFlip flip = null;
        AdaptiveMargin margin = null;
        try {
            flip = flipConfidence == null ? null : new ReversalFlip(flipConfidence);
            margin = marginScale == null ? null : new AdaptiveMargin(marginScale, marginMax);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "--flip-confidence/--margin-scale/--margin-max: " + e.getMessage(), e);
        }
        CudaProbeLog.quietForCpu(device);
        ModelAccess access = new ModelAccess(dir, null, null, device);
        Map<Long, PreferenceStrength> byLine = new HashMap<>();
        try (TextEncoder encoder = TextEncoder.load(access.tokenizerDir())) {
            List<TokenizedPair> pairs = access.pairs(input, encoder);
            try (RewardEnsemble models = RewardModels.loadEnsemble(dir, access.options())) {
                Map<String, PreferenceStrength> strengths =
                        new EnsembleScorer(models, new EnsembleAggregation.Mean())
                                .strengths(
                                        pairs,
                                        TrainRun.padding(encoder),
                                        batch,
                                        models.models().get(0).manager());
                for (TokenizedPair p : pairs) {
                    byLine.put(p.source().line(), strengths.get(p.id()));
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        long rows = 0;
        long flipped = 0;
        long margins = 0;
        long unmeasured = 0;
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(output)) {
            long line = 0;
            for (String text : Files.readAllLines(input)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                rows++;
                ObjectNode row = (ObjectNode) json.readTree(text);
                PreferenceStrength s = byLine.get(line);
                if (s == null) {
                    unmeasured++;
                } else {
                    if (flip != null && flip.flips(s)) {
                        JsonNode chosen = row.get("chosen");
                        row.set("chosen", row.get("rejected"));
                        row.set("rejected", chosen);
                        row.put("flipped", true);
                        s = s.reversed();
                        flipped++;
                    }
                    row.put("strength_mean", s.mean());
                    row.put("strength_std", s.std());
                    if (margin != null) {
                        row.put("margin", margin.margin(s));
                        margins++;
                    }
                }
                w.write(json.writeValueAsString(row));
                w.newLine();
            }
        }
        out.printf(
                Locale.ROOT,
                "relabelled %d pairs into %s: measured %d, flipped %d, margins set %d, not"
                        + " measured (dropped by the tokenizer) %d%n",
                rows,
                output,
                rows - unmeasured,
                flipped,
                margins,
                unmeasured);
        return ExitCodes.OK;
    }
}
