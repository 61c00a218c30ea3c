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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training and {@code eval} on rows written in the published schemas of the public datasets ({@code
 * core/src/test/resources/data/real}): {@code HuggingFaceH4/ultrafeedback_binarized} read as {@code
 * trl}, and {@code nvidia/HelpSteer2}'s preference file with its {@code split} column.
 */
class RealSchemaRunTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static Path real(String name) {
        return Fixtures.hf().getParent().getParent().resolve("data/real").resolve(name);
    }

    /** The value of a data counter ({@code eval filtered}, ...) in summary.json. */
    static long counter(String summaryJson, String name) {
        return Reward4jTest.counter(summaryJson, name);
    }

    Path config(Path train, Path eval, String format, String split) throws IOException {
        Path p = dir.resolve("run.yaml");
        Files.writeString(
                p,
                String.join(
                        "\n",
                        "model: {path: "
                                + Fixtures.hf("llama-rm")
                                + ", tokenizer: "
                                + Fixtures.hf("tokenizer")
                                + "}",
                        "data: {train: "
                                + train
                                + (eval == null ? "" : ", eval: " + eval)
                                + ", format: "
                                + format
                                + (split == null ? "" : ", split: " + split)
                                + ", batch_size: 2}",
                        "objective: {type: bt}",
                        "optim: {lr: 1.0e-3}",
                        "train: {max_steps: 1, output_dir: " + dir.resolve("run") + "}",
                        "checkpoint: {every: 0}",
                        ""));
        return p;
    }

    @Test
    void ultrafeedbackBinarizedReadAsTrlTakesItsPromptFromTheConversations() throws IOException {
        Path file = real("ultrafeedback_binarized.jsonl");
        assertEquals(
                0,
                run("train", "--config", config(file, null, "auto", null).toString()),
                err.toString());
        String summary = Files.readString(dir.resolve("run/summary.json"));
        assertEquals(3, counter(summary, "read"), summary);
        assertEquals(3, counter(summary, "kept"), summary);
        assertEquals(3, counter(summary, "prompts extracted"), summary);
        assertTrue(err.toString().contains("promptsExtracted=3"), err.toString());
    }

    @Test
    void helpSteer2PreferenceTrainsOnTrainRowsAndEvaluatesTheValRowsOfTheSameFile()
            throws IOException {
        // 5 rows: train (strength -3), train (2), val (-2), train (0: a tie), val (3)
        Path file = real("helpsteer2-preference.jsonl");
        assertEquals(
                0,
                run(
                        "train",
                        "--config",
                        config(file, file, "helpsteer2-preference", null).toString()),
                err.toString());
        String summary = Files.readString(dir.resolve("run/summary.json"));
        assertEquals(2, counter(summary, "kept"), summary); // 3 train rows, the tie skipped
        assertEquals(2, counter(summary, "filtered"), summary); // the 2 val rows
        assertEquals(1, counter(summary, "skipped"), summary);
        assertEquals(2, counter(summary, "eval kept"), summary); // the 2 val rows
        assertEquals(3, counter(summary, "eval filtered"), summary);
        assertTrue(err.toString().contains("(rows with split == 'train')"), err.toString());
        assertTrue(err.toString().contains("(rows with split != 'train')"), err.toString());

        // reward4j eval on the file takes the val rows too
        Path heldOut = dir.resolve("heldout");
        assertEquals(
                0,
                run(
                        "eval",
                        "--model",
                        dir.resolve("run/final").toString(),
                        "--data",
                        file.toString(),
                        "--format",
                        "helpsteer2-preference",
                        "--output",
                        heldOut.toString()),
                err.toString());
        JsonNode result =
                new ObjectMapper().readTree(heldOut.resolve("heldout-result.json").toFile());
        assertEquals(2, result.path("pairs").asInt(), result.toString());
        assertEquals(3, result.path("counters").path("filtered").asLong(), result.toString());
        assertEquals("split != 'train'", result.path("run").path("rows").asText());
    }

    @Test
    void dataSplitAllTurnsTheSelectorOff() throws IOException {
        Path file = real("helpsteer2-preference.jsonl");
        assertEquals(
                0,
                run(
                        "train",
                        "--config",
                        config(file, null, "helpsteer2-preference", "all").toString()),
                err.toString());
        String summary = Files.readString(dir.resolve("run/summary.json"));
        assertEquals(4, counter(summary, "kept"), summary);
        assertEquals(0, counter(summary, "filtered"), summary);
    }
}
