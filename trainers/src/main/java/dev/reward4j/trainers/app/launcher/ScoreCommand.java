package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.ScoreInput;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.device.CudaProbeLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j score}: every row of {@code --input} (JSONL, gzip or Parquet, read as training
 * reads data) written back with a {@code reward} field, scored by {@link RewardScorer}, so with
 * exactly the formatting of {@code train} and {@code eval} ({@code --max-length} and {@code
 * --truncation} mean {@code data.max_length} and {@code data.truncation}). The default length is
 * capped at the model's positions; a larger explicit one is an error; rows cut by the truncation
 * policy are counted on standard error.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Score rows {prompt, response|completion} with a reward model (or, with --reference, a"
                    + " policy's implicit reward) and write each row back with a reward field.",
            "Rows are formatted and truncated as train formats data (--max-length and --truncation"
                    + " mean data.max_length and data.truncation)."
        })
final class ScoreCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model directory.")
    Path model;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description =
                    "Rows (JSONL, .jsonl.gz or Parquet): prompt and response or completion, each a"
                            + " string or [{role, content}] messages.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Scored JSONL.")
    Path output;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Rows per forward batch (default: data.eval_batch_size, 16).")
    Integer batchSize;

    @Option(
            names = "--max-length",
            paramLabel = "N",
            description =
                    "Tokens per row (data.max_length; default 512 capped at the model's"
                            + " max_position_embeddings; a larger value is an error).")
    Integer maxLength;

    @Option(
            names = "--truncation",
            paramLabel = "POLICY",
            description = "keep-prompt-end (default), keep-end or drop (data.truncation).")
    String truncation;

    @Option(
            names = "--tokenizer",
            paramLabel = "DIR",
            description = "Tokenizer directory (default: --model).")
    Path tokenizer;

    @Option(
            names = "--reference",
            paramLabel = "DIR",
            description = "Reference model: score a policy by log pi(y|x) - log pi_ref(y|x).")
    Path reference;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "cpu",
            description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE}).")
    String device;

    /** A row of {@code --input}: the row as read, its input and where it came from. */
    private record ScoreRow(ObjectNode json, ScoreInput input, Source source) {}

    /**
     * {@code prompt} (string or messages) and {@code response} (or {@code completion}; string or
     * messages), read as the training formats read text fields.
     */
    private static final Format<ScoreRow> SCORE_ROWS =
            (row, out) -> {
                String field =
                        row.has("response") || !row.has("completion") ? "response" : "completion";
                if (!row.has(field)) {
                    throw row.error(
                            "response",
                            "is missing",
                            "a string or a list of {role, content} messages (or 'completion')");
                }
                out.accept(
                        new ScoreRow(
                                (ObjectNode) row.json(),
                                new ScoreInput(row.text("prompt"), row.text(field)),
                                row.source()));
            };

    @Override
    public Integer call() throws Exception {
        PrintStream out = root.out;
        PrintStream err = root.err;
        DataSection data = DataSection.defaults();
        int batch = batchSize != null ? batchSize : data.evalBatchSize();
        EvalCommand.Inputs.positive(batch, "--batch-size");
        EvalCommand.Inputs.file(input, "--input");
        CudaProbeLog.quietForCpu(device);
        ModelAccess access = new ModelAccess(model, tokenizer, reference, device);
        ModelConfig config = access.config();
        int length = access.maxLength(maxLength, data.maxLength(), "--max-length");
        if (Files.isDirectory(output)) {
            throw new ConfigException("--output: " + output + " is a directory; expected a file");
        }
        RewardScorer.Builder builder =
                RewardScorer.builder(model)
                        .tokenizer(access.tokenizerDir())
                        .device(device)
                        .batchSize(batch)
                        .maxLength(length)
                        .truncation(truncation != null ? truncation : data.truncation());
        if (reference != null) {
            builder.reference(reference);
        }
        ObjectMapper json = new ObjectMapper();
        long rows = 0;
        try (RecordStream<ScoreRow> in =
                        DataReader.open(input, SCORE_ROWS, ReadOptions.defaults());
                RewardScorer scorer = builder.build();
                BufferedWriter writer = writer(output)) {
            List<ScoreRow> pending = new ArrayList<>();
            while (in.hasNext()) {
                pending.add(in.next());
                if (pending.size() == batch) {
                    rows += flush(scorer, pending, writer, json);
                }
            }
            rows += flush(scorer, pending, writer, json);
            long cut = scorer.truncatedCount();
            if (cut > 0) {
                err.println(
                        "reward4j score: "
                                + cut
                                + " of "
                                + rows
                                + " rows were longer than "
                                + length
                                + " tokens and were cut by the truncation policy"
                                + (maxLength == null && length < data.maxLength()
                                        ? " (the model's max_position_embeddings is "
                                                + config.maxPositions()
                                                + ")"
                                        : ""));
            }
        }
        out.println("scored " + rows + " rows into " + output);
        return ExitCodes.OK;
    }

    private static BufferedWriter writer(Path output) {
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.newBufferedWriter(output);
        } catch (IOException e) {
            throw new ConfigException(
                    "--output: cannot write "
                            + output
                            + " ("
                            + Failures.describe(e, e)
                            + "); expected a writable file",
                    e);
        }
    }

    static void closeAll(List<AutoCloseable> open) throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static int flush(
            RewardScorer scorer, List<ScoreRow> pending, BufferedWriter w, ObjectMapper json)
            throws IOException {
        if (pending.isEmpty()) {
            return 0;
        }
        double[] r =
                scorer.score(
                        pending.stream().map(ScoreRow::input).toList(),
                        pending.stream().map(ScoreRow::source).toList());
        for (int i = 0; i < r.length; i++) {
            w.write(json.writeValueAsString(pending.get(i).json().put("reward", r[i])));
            w.newLine();
        }
        int n = pending.size();
        pending.clear();
        return n;
    }
}
