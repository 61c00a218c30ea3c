package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.ScoreInput;
import dev.reward4j.trainers.ScoredResponse;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.process.StepAggregation;
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
 * reads data) written back with what the model gives for it, scored by {@link RewardScorer}, so
 * with exactly the formatting of {@code train} and {@code eval} ({@code --max-length} and {@code
 * --truncation} mean {@code data.max_length} and {@code data.truncation}). Rows of three shapes:
 *
 * <ul>
 *   <li>{@code prompt} + {@code response} (or {@code completion}): {@code reward}; a model with a
 *       {@code reward4j-head.json} adds its outputs ({@code rewards}, {@code weights}, {@code
 *       uncertainty}, {@code cluster}, {@code embedding}, ... see {@link ScoredResponse});
 *   <li>{@code prompt} + {@code chosen} + {@code rejected}: {@code preference_probability} (as the
 *       model's training objective defines it, e.g. a GPM's or a mixture's) and {@code
 *       chosen_reward}/{@code rejected_reward} where the model has rewards;
 *   <li>{@code prompt} + {@code completions} (a list of steps) for a process reward model: {@code
 *       step_rewards} and their aggregate {@code reward} ({@code --step-aggregation}).
 * </ul>
 *
 * An optional {@code user_id} selects the user of a {@code maxmin} or {@code pal} model. The
 * default length is capped at the model's positions; a larger explicit one is an error; rows cut by
 * the truncation policy are counted on standard error.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Score rows with a reward model (or, with --reference, a policy's implicit reward)"
                    + " and write each row back with what the model gives for it:",
            "{prompt, response|completion} get a reward (and the model's other outputs),"
                    + " {prompt, chosen, rejected} a preference_probability, {prompt,"
                    + " completions: [steps]} a process reward model's step_rewards; user_id"
                    + " selects the user of maxmin and pal models.",
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

    @Option(
            names = "--aggregate",
            paramLabel = "HOW",
            defaultValue = "mean",
            description =
                    "ensemble-heads models: how the members combine into the reward: mean,"
                            + " median, min or mean-std(<lambda>) (default ${DEFAULT-VALUE}).")
    String aggregate;

    @Option(
            names = "--step-aggregation",
            paramLabel = "HOW",
            defaultValue = "min",
            description =
                    "Process reward models: how the step rewards of a solution combine into its"
                            + " reward: min, last or product (default ${DEFAULT-VALUE}).")
    String stepAggregation;

    /** The shape of a row of {@code --input}. */
    private enum Shape {
        /** {@code prompt} and {@code response} (or {@code completion}). */
        RESPONSE,
        /** {@code prompt}, {@code chosen} and {@code rejected}. */
        PAIR,
        /** {@code prompt} and {@code completions}, a list of steps. */
        STEPS
    }

    /**
     * A row of {@code --input}: the row as read, its shape and inputs, its user and where it came
     * from.
     */
    private record ScoreRow(
            ObjectNode json,
            Shape shape,
            ScoreInput input,
            ScoreInput rejected,
            StepwiseExample steps,
            String user,
            Source source) {}

    /**
     * {@code prompt} (string or messages) with {@code response} (or {@code completion}), with
     * {@code chosen} and {@code rejected}, or with {@code completions} (a list of steps); an
     * optional {@code user_id}. Text fields are read as the training formats read them.
     */
    private static final Format<ScoreRow> SCORE_ROWS =
            (row, out) -> {
                ObjectNode json = (ObjectNode) row.json();
                String user = row.optString("user_id").orElse(null);
                if (!row.has("response") && !row.has("completion")) {
                    if (row.has("chosen") && row.has("rejected")) {
                        Text prompt = row.text("prompt");
                        out.accept(
                                new ScoreRow(
                                        json,
                                        Shape.PAIR,
                                        new ScoreInput(prompt, row.text("chosen")),
                                        new ScoreInput(prompt, row.text("rejected")),
                                        null,
                                        user,
                                        row.source()));
                        return;
                    }
                    if (row.has("completions")) {
                        JsonNode steps = row.array("completions", 1);
                        List<String> texts = new ArrayList<>();
                        for (int i = 0; i < steps.size(); i++) {
                            if (!steps.get(i).isTextual() || steps.get(i).asText().isEmpty()) {
                                throw row.error(
                                        "completions[" + i + "]",
                                        "is " + steps.get(i),
                                        "a non-empty string");
                            }
                            texts.add(steps.get(i).asText());
                        }
                        out.accept(
                                new ScoreRow(
                                        json,
                                        Shape.STEPS,
                                        null,
                                        null,
                                        new StepwiseExample(
                                                row.source().toString(),
                                                row.text("prompt"),
                                                texts,
                                                new double[texts.size()],
                                                row.source()),
                                        user,
                                        row.source()));
                        return;
                    }
                    throw row.error(
                            "response",
                            "is missing",
                            "a string or a list of {role, content} messages (or 'completion'),"
                                    + " or 'chosen' and 'rejected', or a 'completions' list of"
                                    + " steps");
                }
                String field = row.has("response") ? "response" : "completion";
                out.accept(
                        new ScoreRow(
                                json,
                                Shape.RESPONSE,
                                new ScoreInput(row.text("prompt"), row.text(field)),
                                null,
                                null,
                                user,
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
                        .truncation(truncation != null ? truncation : data.truncation())
                        .aggregation(aggregation(aggregate));
        StepAggregation steps = stepAggregation(stepAggregation);
        if (reference != null) {
            builder.reference(reference);
        }
        ObjectMapper json = new ObjectMapper();
        long rows = 0;
        long[] counts = new long[1]; // pairs without a probability
        try (RecordStream<ScoreRow> in =
                        DataReader.open(input, SCORE_ROWS, ReadOptions.defaults());
                RewardScorer scorer = builder.build();
                BufferedWriter writer = writer(output)) {
            List<ScoreRow> pending = new ArrayList<>();
            while (in.hasNext()) {
                pending.add(in.next());
                if (pending.size() == batch) {
                    rows += flush(scorer, steps, pending, writer, json, counts);
                }
            }
            rows += flush(scorer, steps, pending, writer, json, counts);
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
        if (counts[0] > 0) {
            err.println(
                    "reward4j score: "
                            + counts[0]
                            + " pairs have no preference probability (the model gives no reward"
                            + " without a known user_id); written with preference_probability"
                            + " null");
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

    /** The {@code --aggregate} value, or a user error naming the option. */
    static EnsembleAggregation aggregation(String text) {
        try {
            return EnsembleAggregation.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--aggregate: " + e.getMessage(), e);
        }
    }

    /** The {@code --step-aggregation} value, or a user error naming the option. */
    static StepAggregation stepAggregation(String text) {
        try {
            return StepAggregation.valueOf(text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "--step-aggregation: unknown '" + text + "'; expected min, last or product", e);
        }
    }

    /** Scores the pending rows by their shape and writes them back in order. */
    private static int flush(
            RewardScorer scorer,
            StepAggregation steps,
            List<ScoreRow> pending,
            BufferedWriter w,
            ObjectMapper json,
            long[] counts)
            throws IOException {
        if (pending.isEmpty()) {
            return 0;
        }
        List<ScoreRow> responses = of(pending, Shape.RESPONSE);
        if (!responses.isEmpty()) {
            List<ScoreInput> inputs = responses.stream().map(ScoreRow::input).toList();
            List<Source> sources = responses.stream().map(ScoreRow::source).toList();
            if (scorer.layout().isEmpty()) {
                // a plain model's rows get exactly one field, as they always have
                double[] r = scorer.score(inputs, sources);
                for (int i = 0; i < r.length; i++) {
                    responses.get(i).json().put("reward", r[i]);
                }
            } else {
                List<ScoredResponse> r = scorer.scoreResponses(inputs, sources, users(responses));
                for (int i = 0; i < r.size(); i++) {
                    put(responses.get(i).json(), "", r.get(i), json);
                }
            }
        }
        List<ScoreRow> pairs = of(pending, Shape.PAIR);
        if (!pairs.isEmpty()) {
            List<ScoreInput> chosen = pairs.stream().map(ScoreRow::input).toList();
            List<ScoreInput> rejected = pairs.stream().map(ScoreRow::rejected).toList();
            List<Source> sources = pairs.stream().map(ScoreRow::source).toList();
            List<String> users = users(pairs);
            List<ScoreInput> both = new ArrayList<>(chosen);
            both.addAll(rejected);
            List<Source> where = new ArrayList<>(sources);
            where.addAll(sources);
            List<String> who = new ArrayList<>(users);
            who.addAll(users);
            List<ScoredResponse> r = scorer.scoreResponses(both, where, who);
            int n = pairs.size();
            for (int i = 0; i < n; i++) {
                ObjectNode row = pairs.get(i).json();
                double p = scorer.preferenceProbability(r.get(i), r.get(n + i));
                if (Double.isNaN(p)) {
                    row.putNull("preference_probability");
                    counts[0]++;
                } else {
                    row.put("preference_probability", p);
                }
                r.get(i).reward().ifPresent(v -> row.put("chosen_reward", v));
                r.get(n + i).reward().ifPresent(v -> row.put("rejected_reward", v));
            }
        }
        List<ScoreRow> solutions = of(pending, Shape.STEPS);
        if (!solutions.isEmpty()) {
            List<double[]> r = scorer.stepRewards(solutions.stream().map(ScoreRow::steps).toList());
            for (int i = 0; i < r.size(); i++) {
                ObjectNode row = solutions.get(i).json();
                row.put("reward", steps.apply(r.get(i)));
                row.set("step_rewards", json.valueToTree(r.get(i)));
            }
        }
        for (ScoreRow row : pending) {
            w.write(json.writeValueAsString(row.json()));
            w.newLine();
        }
        int n = pending.size();
        pending.clear();
        return n;
    }

    private static List<ScoreRow> of(List<ScoreRow> rows, Shape shape) {
        return rows.stream().filter(r -> r.shape() == shape).toList();
    }

    private static List<String> users(List<ScoreRow> rows) {
        List<String> users = new ArrayList<>(rows.size());
        rows.forEach(r -> users.add(r.user()));
        return users;
    }

    /** Writes a readout's reward (if any) and outputs into {@code row}. */
    private static void put(ObjectNode row, String prefix, ScoredResponse r, ObjectMapper json) {
        r.reward().ifPresent(v -> row.put(prefix + "reward", v));
        r.outputs().forEach((k, v) -> row.set(prefix + k, json.valueToTree(v)));
    }
}
