package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per case of the bad-input corpus of issue 12: every user-caused failure exits 2 with one
 * message naming the file, line, field or key and what was expected, without a stack trace; data
 * problems that are not errors (inputs longer than the model, truncation making a pair identical, a
 * very long line) are counted and reported.
 */
class UserErrorsTest {
    @TempDir Path dir;
    Runs runs;
    Path train;

    @BeforeEach
    void setUp() throws IOException {
        runs = new Runs(dir);
        train = runs.prefs("train.jsonl", 8, 1);
    }

    /** Exit 2 with one line that contains every fragment and no stack trace. */
    void userError(int code, String... fragments) {
        assertEquals(2, code, runs.out() + runs.err());
        String err = runs.err().strip();
        String last = err.lines().reduce((a, b) -> b).orElse("");
        for (String f : fragments) {
            assertTrue(last.contains(f), "'" + f + "' missing in: " + err);
        }
        assertFalse(err.contains("\tat "), "no stack trace without --debug: " + err);
        assertTrue(last.startsWith("reward4j "), last);
    }

    Path rm(String yaml) throws IOException {
        return runs.config("run.yaml", yaml);
    }

    String yaml(Path model, Path data, Path output) {
        return runs.rmYaml(data, output, 2)
                .replace("path: " + Fixtures.hf("llama-rm") + ",", "path: " + model + ",");
    }

    Path copyModel(String fixture) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(fixture + "-copy"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Fixtures.hf(fixture).resolve(f), copy.resolve(f));
        }
        return copy;
    }

    @Test
    void aModelDirectoryWithoutConfigJson() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-model"));
        userError(
                runs.run(
                        "train", "--config", rm(yaml(empty, train, dir.resolve("out"))).toString()),
                "model.path:",
                empty + " has no config.json; expected a Hugging Face model directory");
        assertFalse(Files.exists(dir.resolve("out/checkpoints")), "nothing was started");
    }

    @Test
    void aTruncatedJsonlGz() throws IOException {
        Path gz = dir.resolve("train.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            for (int i = 0; i < 50; i++) {
                out.write(Files.readAllBytes(train));
            }
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        userError(
                runs.run(
                        "train", "--config", rm(runs.rmYaml(gz, dir.resolve("out"), 2)).toString()),
                gz + " is a damaged gzip file",
                "expected a complete .gz file");
    }

    @Test
    void anOutputDirectoryBlockedByAFile() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file");
        userError(
                runs.run(
                        "train",
                        "--config",
                        rm(runs.rmYaml(train, blocker.resolve("run"), 2)).toString()),
                "train.output_dir: cannot create",
                blocker + " is a file, not a directory");
    }

    @Test
    void anUnwritableOutputDirectory() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        assertTrue(locked.toFile().setWritable(false, false));
        try {
            Assumptions.assumeFalse(
                    Files.isWritable(locked), "the file system lets this user write anyway (root)");
            userError(
                    runs.run(
                            "train",
                            "--config",
                            rm(runs.rmYaml(train, locked.resolve("run"), 2)).toString()),
                    "train.output_dir: cannot create",
                    "expected a writable directory");
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void zeroAttentionHeadsInTheModelConfig() throws IOException {
        Path model = copyModel("llama-rm");
        Path config = model.resolve("config.json");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 0"));
        userError(
                runs.run(
                        "train", "--config", rm(yaml(model, train, dir.resolve("out"))).toString()),
                "config.json field num_attention_heads is 0",
                "expected an integer >= 1");
    }

    @Test
    void aDirectoryGivenAsTheDataFile() throws IOException {
        userError(
                runs.run(
                        "train",
                        "--config",
                        rm(runs.rmYaml(dir, dir.resolve("out"), 2)).toString()),
                "data.train: " + dir + " is a directory",
                "expected a .jsonl, .jsonl.gz or .parquet file");
    }

    @Test
    void aNanLearningRateNamesItsKey() throws IOException {
        String yaml =
                runs.rmYaml(train, dir.resolve("out"), 2).replace("{lr: 1.0e-3}", "{lr: .nan}");
        userError(
                runs.run("train", "--config", rm(yaml).toString()),
                "optim.lr:",
                "run.yaml line 4",
                "expected a finite number");
        userError(
                runs.run(
                        "train",
                        "--config",
                        rm(runs.rmYaml(train, dir.resolve("out"), 2)).toString(),
                        "--set",
                        "optim.lr=-1"),
                "optim.lr: expected a number >= 0 (got -1)");
    }

    @Test
    void aYamlKeyGivenTwice() throws IOException {
        String yaml = runs.rmYaml(train, dir.resolve("out"), 2) + "optim: {lr: 2.0e-3}\n";
        userError(
                runs.run("train", "--config", rm(yaml).toString()),
                "optim: given twice (",
                "run.yaml line 7",
                "expected each key once per mapping");
        String nested =
                runs.rmYaml(train, dir.resolve("out"), 2)
                        .replace("{lr: 1.0e-3}", "{lr: 1.0e-3, lr: 2.0e-3}");
        userError(runs.run("train", "--config", rm(nested).toString()), "optim.lr: given twice");
    }

    @Test
    void scoreWithBatchSizeZero() {
        userError(
                runs.run(
                        "score",
                        "--model",
                        Fixtures.hf("llama-rm").toString(),
                        "--input",
                        train.toString(),
                        "--output",
                        dir.resolve("s.jsonl").toString(),
                        "--batch-size",
                        "0"),
                "reward4j score: --batch-size: expected an integer >= 1 (got 0)");
        userError(
                runs.run("eval", "--model", "m", "--data", train.toString(), "--batch-size", "0"),
                "reward4j eval: --batch-size: expected an integer >= 1 (got 0)");
    }

    @Test
    void aTokenIdBeyondTheModelsVocabularyIsCaughtWhenTheDataIsPrepared() throws IOException {
        // a tokenizer of "another model": one more added token (numbered 512 by the tokenizer
        // library: the next free id), beyond vocab_size 512
        Path tokenizer = Files.createDirectories(dir.resolve("tokenizer"));
        Path fixture = Fixtures.hf("tokenizer");
        Files.copy(
                fixture.resolve("tokenizer_config.json"),
                tokenizer.resolve("tokenizer_config.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode t = (ObjectNode) json.readTree(fixture.resolve("tokenizer.json").toFile());
        ((ArrayNode) t.get("added_tokens"))
                .addObject()
                .put("id", 600)
                .put("content", "<|tool|>")
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", false);
        json.writeValue(tokenizer.resolve("tokenizer.json").toFile(), t);
        Path data = dir.resolve("tool.jsonl");
        Files.write(
                data,
                List.of(
                        "{\"prompt\": \"q?\", \"chosen\": \"good answer\", \"rejected\": \"bad\"}",
                        "{\"prompt\": \"call <|tool|> now\", \"chosen\": \"good\", \"rejected\":"
                                + " \"bad\"}"));
        String yaml =
                runs.rmYaml(data, dir.resolve("out"), 2)
                        .replace("tokenizer: " + fixture, "tokenizer: " + tokenizer);
        userError(
                runs.run("train", "--config", rm(yaml).toString()),
                "data: "
                        + data
                        + ":2: token id 512 is outside the model's vocabulary (vocab_size 512",
                "expected the tokenizer of this model");
        assertFalse(Files.exists(dir.resolve("out/metrics.jsonl")), "before the first step");
    }

    @Test
    void anInputLongerThanTheModelsPositionsIsCutWithAWarningOrRefused() throws IOException {
        Path rows = dir.resolve("rows.jsonl");
        Files.writeString(
                rows,
                "{\"prompt\": \""
                        + "tell me more ".repeat(100)
                        + "\", \"response\": \"good\"}\n"
                        + "{\"prompt\": \"q?\", \"response\": \"good\"}\n");
        Path scored = dir.resolve("scored.jsonl");
        String[] args = {
            "score",
            "--model",
            Fixtures.hf("llama-rm").toString(),
            "--tokenizer",
            Fixtures.hf("tokenizer").toString(),
            "--input",
            rows.toString(),
            "--output",
            scored.toString()
        };
        assertEquals(0, runs.run(args), runs.err());
        assertTrue(
                runs.err()
                        .contains(
                                "1 of 2 rows were longer than 128 tokens and were cut by the"
                                        + " truncation policy (the model's max_position_embeddings"
                                        + " is 128)"),
                runs.err());
        assertEquals(2, Files.readAllLines(scored).size());
        String[] tooLong = java.util.Arrays.copyOf(args, args.length + 2);
        tooLong[args.length] = "--max-length";
        tooLong[args.length + 1] = "300";
        userError(
                runs.run(tooLong),
                "--max-length: 300 tokens exceed the model's max_position_embeddings (128",
                "expected at most 128");
        userError(
                runs.run(
                        "train",
                        "--config",
                        rm(runs.rmYaml(train, dir.resolve("out"), 2)
                                        .replace("max_length: 64", "max_length: 300"))
                                .toString()),
                "data.max_length: 300 tokens exceed the model's max_position_embeddings (128");
    }

    @Test
    void aTenMegabyteLineIsCutBeforeTokenizationAndCounted() throws IOException {
        Path data = dir.resolve("long.jsonl");
        String huge = "the answer is clear and good ".repeat(360_000); // 10.4 MB
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(train));
        lines.add("{\"prompt\": \"q?\", \"chosen\": \"" + huge + "\", \"rejected\": \"bad\"}");
        Files.write(data, lines);
        Path output = dir.resolve("out");
        assertEquals(
                0,
                runs.run("train", "--config", rm(runs.rmYaml(data, output, 2)).toString()),
                runs.err());
        JsonNode counters =
                new ObjectMapper().readTree(output.resolve("summary.json").toFile()).path("data");
        assertEquals(9, counters.path("kept").asLong(), counters.toString());
        assertEquals(1, counters.path("responses truncated").asLong(), counters.toString());
    }

    @Test
    void pairsMadeIdenticalByTruncationAreCountedAndDroppedOrKeptByTheirTails() throws IOException {
        Path data = dir.resolve("hh.jsonl");
        String shared = "Sure, here is a long and careful answer to that question. ".repeat(8);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(train));
        lines.add(
                "{\"prompt\": \"q?\", \"chosen\": \""
                        + shared
                        + "Yes.\", \"rejected\": \""
                        + shared
                        + "No.\"}");
        Files.write(data, lines);
        Path output = dir.resolve("out");
        assertEquals(
                0,
                runs.run("train", "--config", rm(runs.rmYaml(data, output, 2)).toString()),
                runs.err());
        assertTrue(runs.err().contains("identicalAfterTruncation=1"), runs.err());
        JsonNode counters =
                new ObjectMapper().readTree(output.resolve("summary.json").toFile()).path("data");
        assertEquals(1, counters.path("identical after truncation").asLong(), counters.toString());
        assertEquals(0, counters.path("invalid").asLong(), counters.toString());
        assertEquals(8, counters.path("kept").asLong(), counters.toString());

        Path tails = dir.resolve("tails");
        assertEquals(
                0,
                runs.run(
                        "train",
                        "--config",
                        rm(runs.rmYaml(data, tails, 2)).toString(),
                        "--set",
                        "data.identical_after_truncation=keep-differing-tail"),
                runs.err());
        JsonNode kept =
                new ObjectMapper().readTree(tails.resolve("summary.json").toFile()).path("data");
        assertEquals(1, kept.path("tails kept").asLong(), kept.toString());
        assertEquals(9, kept.path("kept").asLong(), kept.toString());
    }
}
