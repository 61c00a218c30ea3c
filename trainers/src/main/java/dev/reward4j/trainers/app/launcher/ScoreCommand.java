package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.eval.ScoringRequest;
import dev.reward4j.trainers.optim.Gradients;
import java.io.BufferedReader;
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
 * {@code reward4j score}: writes every row of a JSONL file back with a {@code reward} field. Rows
 * longer than {@code --max-length} tokens are cut from the left (RewardBench's rule) and counted on
 * standard error; the length defaults to 2048 capped at the model's positions.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Score rows {prompt, response|completion} with a reward model (or, with --reference, a"
                    + " policy's implicit reward) and write each row back with a reward field."
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
                    "JSONL rows: prompt (string or [{role, content}]) and response or completion.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Scored JSONL.")
    Path output;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "16",
            description = "Rows per forward batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--max-length",
            paramLabel = "N",
            description =
                    "Tokens per row, cut from the left (default 2048 capped at the model's"
                            + " max_position_embeddings; a larger value is an error).")
    Integer maxLength;

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

    @Override
    public Integer call() throws Exception {
        PrintStream out = root.out;
        PrintStream err = root.err;
        EvalCommand.Inputs.positive(batchSize, "--batch-size");
        EvalCommand.Inputs.file(input, "--input");
        CudaProbeLog.quietForCpu(device);
        ModelAccess access = new ModelAccess(model, tokenizer, reference, device);
        ModelConfig config = access.config();
        int length = access.maxLength(maxLength, 2048, "--max-length");
        if (Files.isDirectory(output)) {
            throw new ConfigException("--output: " + output + " is a directory; expected a file");
        }
        ObjectMapper json = new ObjectMapper();
        long rows = 0;
        List<AutoCloseable> open = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(input)) {
            EvalCommand.Scoring scoring =
                    Gradients.withGradModeOff(() -> EvalCommand.scorer(access, length, open));
            try (BufferedWriter writer = writer(output)) {
                List<ObjectNode> pending = new ArrayList<>();
                List<ScoringRequest> requests = new ArrayList<>();
                long line = 0;
                for (String s; (s = reader.readLine()) != null; ) {
                    line++;
                    if (s.isBlank()) {
                        continue;
                    }
                    JsonNode row = row(s, line);
                    List<Message> prompt = turns(row.get("prompt"), line);
                    JsonNode resp =
                            row.has("response") ? row.get("response") : row.get("completion");
                    if (resp == null || !resp.isTextual()) {
                        throw new ConfigException(
                                "data: "
                                        + input
                                        + ":"
                                        + line
                                        + " field 'response' (or 'completion') is "
                                        + (resp == null ? "missing" : resp.getNodeType())
                                        + "; expected a string");
                    }
                    pending.add((ObjectNode) row);
                    requests.add(
                            new ScoringRequest(String.valueOf(line), 0, prompt, resp.asText()));
                    if (pending.size() == batchSize) {
                        rows += flush(scoring, pending, requests, writer, json, config);
                    }
                }
                rows += flush(scoring, pending, requests, writer, json, config);
            }
            long cut = Long.parseLong(scoring.info().get().getOrDefault("truncated", "0"));
            if (cut > 0) {
                err.println(
                        "reward4j score: "
                                + cut
                                + " of "
                                + rows
                                + " rows were longer than "
                                + length
                                + " tokens and were cut from the left"
                                + (maxLength == null
                                        ? " (the model's max_position_embeddings is "
                                                + config.maxPositions()
                                                + ")"
                                        : ""));
            }
            out.println("scored " + rows + " rows into " + output);
            return ExitCodes.OK;
        } finally {
            closeAll(open);
        }
    }

    private JsonNode row(String s, long line) {
        try {
            JsonNode row = new ObjectMapper().readTree(s);
            if (row == null || !row.isObject()) {
                throw new ConfigException(
                        "data: "
                                + input
                                + ":"
                                + line
                                + ": not a JSON object; expected one per line");
            }
            return row;
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    "data: "
                            + input
                            + ":"
                            + line
                            + ": malformed JSON ("
                            + e.getOriginalMessage()
                            + "); expected one JSON object per line",
                    e);
        }
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

    private int flush(
            EvalCommand.Scoring scoring,
            List<ObjectNode> pending,
            List<ScoringRequest> requests,
            BufferedWriter w,
            ObjectMapper json,
            ModelConfig config)
            throws IOException {
        if (pending.isEmpty()) {
            return 0;
        }
        double[] r;
        try {
            r = Gradients.withGradModeOff(() -> scoring.scorer().score(requests));
        } catch (ai.djl.engine.EngineException e) {
            throw locate(scoring, requests, config, e);
        }
        for (int i = 0; i < r.length; i++) {
            w.write(json.writeValueAsString(pending.get(i).put("reward", r[i])));
            w.newLine();
        }
        int n = pending.size();
        pending.clear();
        requests.clear();
        return n;
    }

    /**
     * An engine failure of a batch: when a row's token ids do not fit the model's vocabulary, a
     * user error naming the row's line; the engine's error otherwise.
     */
    private RuntimeException locate(
            EvalCommand.Scoring scoring,
            List<ScoringRequest> requests,
            ModelConfig config,
            RuntimeException e) {
        if (scoring.model() != null) {
            for (ScoringRequest q : requests) {
                for (int id : scoring.model().encode(q)) {
                    if (id < 0 || id >= config.vocabSize()) {
                        return new ConfigException(
                                "data: "
                                        + input
                                        + ":"
                                        + q.rowId()
                                        + ": token id "
                                        + id
                                        + " is outside the model's vocabulary (vocab_size "
                                        + config.vocabSize()
                                        + " in "
                                        + model.resolve("config.json")
                                        + "); expected the tokenizer of this model (--tokenizer)",
                                e);
                    }
                }
            }
        }
        return e;
    }

    private List<Message> turns(JsonNode n, long line) {
        if (n != null && n.isTextual()) {
            return List.of(Message.user(n.asText()));
        }
        if (n != null && n.isArray()) {
            List<Message> turns = new ArrayList<>();
            n.forEach(
                    m ->
                            turns.add(
                                    new Message(
                                            m.path("role").asText(), m.path("content").asText())));
            return turns;
        }
        throw new ConfigException(
                "data: "
                        + input
                        + ":"
                        + line
                        + " field 'prompt' is "
                        + (n == null ? "missing" : n.getNodeType())
                        + "; expected a string or a list of {role, content} messages");
    }
}
