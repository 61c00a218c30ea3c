package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Short {@code reward4j train} runs of the tiny causal-LM fixture, for the launcher tests. */
final class LauncherRuns {
    final Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs in {@code dir}. */
    LauncherRuns(Path dir) {
        this.dir = dir;
    }

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static final String[] WORDS = {"good", "great", "fine", "bad", "awful", "poor", "the", "is"};

    /** {@code n} rows of {@code row(i)}. */
    Path rows(String name, int n, java.util.function.IntFunction<String> row) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(row.apply(i));
        }
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    /** TRL pairs with a {@code margin} column holding {@code label(i)}. */
    Path labelledPairs(double[] labels) throws IOException {
        return rows(
                "labelled.jsonl",
                labels.length,
                i ->
                        String.format(
                                Locale.ROOT,
                                "{\"prompt\": \"question %d: %s?\", \"chosen\": \"%s %s\","
                                        + " \"rejected\": \"%s %s\", \"margin\": %s}",
                                i,
                                WORDS[i % 8],
                                WORDS[i % 3],
                                WORDS[6],
                                WORDS[3 + i % 3],
                                WORDS[7],
                                labels[i]));
    }

    /**
     * Writes the configuration {@code name.yaml} of a two-step run of the causal-LM fixture into
     * {@code dir/name}; {@code modelKeys} are more keys of the model section (e.g. {@code ",
     * reference_cache: x"}).
     */
    Path config(String name, String modelKeys, String data, String objective) throws IOException {
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "model: {path: "
                                + Fixtures.hf("llama-lm")
                                + ", tokenizer: "
                                + Fixtures.hf("tokenizer")
                                + modelKeys
                                + "}",
                        "data: " + data,
                        "objective: " + objective,
                        "optim: {lr: 1.0e-3}",
                        "train: {max_steps: 2, log_every: 1, output_dir: "
                                + dir.resolve(name)
                                + "}",
                        "checkpoint: {every: 0}",
                        ""));
        return cfg;
    }

    /** Runs {@code objective} on {@code data} for two steps; the metrics of the training steps. */
    List<JsonNode> train(String data, String objective, String name) throws IOException {
        Path output = dir.resolve(name);
        Path cfg = config(name, "", data, objective);
        assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
        List<JsonNode> steps = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(output.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("phase").asText().equals("train")) {
                steps.add(n.path("values"));
            }
        }
        assertEquals(2, steps.size(), steps.toString());
        for (JsonNode s : steps) {
            assertTrue(Double.isFinite(s.path("loss").asDouble(Double.NaN)), s.toString());
        }
        assertTrue(Files.isDirectory(output.resolve("final")), "no final model in " + output);
        return steps;
    }

    /** The rows of a JSONL file. */
    static List<JsonNode> jsonl(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(json.readTree(line));
        }
        return rows;
    }

    /** Runs {@code reward4j score} of {@code model} on {@code input} (exit 0); the scored rows. */
    List<JsonNode> score(Path model, Path input, String... more) throws IOException {
        Path out = dir.resolve("scored-" + System.nanoTime() + ".jsonl");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "score",
                                "--model",
                                model.toString(),
                                "--input",
                                input.toString(),
                                "--output",
                                out.toString()));
        args.addAll(List.of(more));
        assertEquals(0, run(args.toArray(new String[0])), err.toString());
        return jsonl(out);
    }

    /** The chosen and rejected responses of a pair file as response rows, chosen first per pair. */
    Path responses(Path pairs) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (JsonNode p : jsonl(pairs)) {
            for (String side : new String[] {"chosen", "rejected"}) {
                lines.add(
                        json.createObjectNode()
                                .put("prompt", p.path("prompt").asText())
                                .put("response", p.path(side).asText())
                                .toString());
            }
        }
        Path file = dir.resolve("responses-" + System.nanoTime() + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    /** Eight step-annotated solutions of two steps (the second wrong for odd i), TRL's layout. */
    Path stepRows() throws IOException {
        return rows(
                "steps.jsonl",
                8,
                i ->
                        "{\"prompt\": \"add "
                                + i
                                + " and 2\", \"completions\": [\""
                                + i
                                + " + 2 = "
                                + (i + 2)
                                + "\", \"so the answer is "
                                + (i + (i % 2 == 0 ? 2 : 3))
                                + "\"], \"labels\": [true, "
                                + (i % 2 == 0)
                                + "]}");
    }
}
