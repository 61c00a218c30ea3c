package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy objectives beyond the DPO catalogue, each trained from its {@code objective.type}
 * through the command line on the tiny causal-LM fixture (two steps): token-level (TDPO1, TDPO2,
 * SparsePO), labelled pairs (soft preference, iREPO, MM-DPO, CREAM, label in the {@code margin}
 * column), reference-free absolute likelihood (ASFT, MaPO), JPO on joint pairs and TPO on triples.
 */
class PolicyVariantsRunTest {
    @TempDir Path dir;
    LauncherRuns runs;
    ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        runs = new LauncherRuns(dir);
        err = runs.err;
    }

    int run(String... args) {
        return runs.run(args);
    }

    Path rows(String name, int n, java.util.function.IntFunction<String> row) throws IOException {
        return runs.rows(name, n, row);
    }

    Path labelledPairs(double[] labels) throws IOException {
        return runs.labelledPairs(labels);
    }

    List<JsonNode> train(String data, String objective, String name) throws IOException {
        return runs.train(data, objective, name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tdpo1", "tdpo2", "sparse-po"})
    void tokenLevelObjectivesStartAtLogTwo(String type) throws IOException {
        Path train = labelledPairs(new double[] {0.9, 0.8, 0.7, 0.9, 0.6, 0.8, 0.7, 0.9});
        List<JsonNode> steps =
                train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: " + type + "}",
                        type);
        // step 1: policy == reference, so every log-ratio and every token KL is 0
        assertEquals(Math.log(2), steps.get(0).path("loss").asDouble(), 1e-5, steps.toString());
        assertTrue(steps.get(0).has("rewards/accuracies"), steps.get(0).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"soft-preference", "irepo", "mm-dpo", "cream"})
    void labelledObjectivesReadTheMarginColumn(String type) throws IOException {
        Path train = labelledPairs(new double[] {0.9, 0.8, 0.7, 0.9, 0.6, 0.8, 0.7, 0.9});
        List<JsonNode> steps =
                train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: " + type + "}",
                        type);
        assertTrue(steps.get(0).has("rewards/accuracies"), steps.get(0).toString());
    }

    @Test
    void aLabelledObjectiveWithoutTheLabelNamesThePairs() throws IOException {
        Path train =
                rows(
                        "unlabelled.jsonl",
                        4,
                        i ->
                                "{\"prompt\": \"q"
                                        + i
                                        + "\", \"chosen\": \"good\", \"rejected\": \"bad\"}");
        Path cfg =
                runs.config(
                        "nolabel",
                        "",
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: soft-preference}");
        int code = run("train", "--config", cfg.toString());
        assertTrue(code != 0, "trained without labels");
        assertTrue(err.toString().contains("no per-pair label"), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"asft", "mapo"})
    void absoluteLikelihoodObjectivesNeedNoReference(String type) throws IOException {
        Path train = labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        train(
                "{train: " + train + ", max_length: 64, batch_size: 4}",
                "{type: " + type + "}",
                type);
        assertTrue(!err.toString().contains("reference log-probs"), err.toString());
    }

    @Test
    void jpoTrainsOnJointPairs() throws IOException {
        Path train =
                rows(
                        "joint.jsonl",
                        8,
                        i ->
                                String.format(
                                        Locale.ROOT,
                                        "{\"id\": \"j%d\", \"prompt_chosen\": \"question %d\","
                                                + " \"chosen\": \"good answer\","
                                                + " \"prompt_rejected\": \"other question %d\","
                                                + " \"rejected\": \"bad answer\"}",
                                        i,
                                        i,
                                        i + 100));
        List<JsonNode> steps =
                train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: jpo, beta: 0.2}",
                        "jpo");
        assertEquals(Math.log(2), steps.get(0).path("loss").asDouble(), 1e-5, steps.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tpo", "tpo-l"})
    void tpoTrainsOnTriples(String type) throws IOException {
        Path train =
                rows(
                        "triples.jsonl",
                        8,
                        i ->
                                String.format(
                                        Locale.ROOT,
                                        "{\"prompt\": \"question %d\", \"reference\": \"great"
                                                + " answer\", \"chosen\": \"good answer\","
                                                + " \"rejected\": \"bad answer\"}",
                                        i));
        List<JsonNode> steps =
                train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: " + type + "}",
                        type);
        assertTrue(steps.get(0).has("gold_nll"), steps.get(0).toString());
    }

    @Test
    void aTokenObjectiveRejectsAReferenceCache() throws IOException {
        Path train = labelledPairs(new double[] {1, 1, 1, 1});
        Path cfg =
                runs.config(
                        "cached",
                        ", reference_cache: " + dir.resolve("cache"),
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: tdpo2}");
        assertEquals(2, run("train", "--config", cfg.toString()), err.toString());
        assertTrue(err.toString().contains("model.reference_cache"), err.toString());
    }

    /** A constant-schedule sparse-po run with learned masks, checkpointing every 2 steps. */
    Path learnedMaskConfig(Path train, Path output) throws IOException {
        Path cfg = dir.resolve(output.getFileName() + ".yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "model: {path: "
                                + Fixtures.hf("llama-lm")
                                + ", tokenizer: "
                                + Fixtures.hf("tokenizer")
                                + "}",
                        "data: {train: " + train + ", max_length: 64, batch_size: 4}",
                        "objective: {type: sparse-po, beta: 0.2, masks: learned}",
                        "optim: {lr: 2.0e-3}",
                        "schedule: {type: constant, warmup_steps: 1}",
                        "train: {max_steps: 4, log_every: 1, output_dir: " + output + "}",
                        "checkpoint: {every: 2}",
                        ""));
        return cfg;
    }

    @Test
    void sparsePoWithLearnedMasksResumesAsTheUninterruptedRun() throws IOException {
        Path train = labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        Path straight = dir.resolve("straight");
        assertEquals(
                0,
                run("train", "--config", learnedMaskConfig(train, straight).toString()),
                err.toString());
        Path split = dir.resolve("split");
        Path cfg = learnedMaskConfig(train, split);
        assertEquals(
                0,
                run("train", "--config", cfg.toString(), "--set", "train.max_steps=2"),
                err.toString());
        Path checkpoint = split.resolve("checkpoints/checkpoint-2");
        assertTrue(
                Files.isRegularFile(checkpoint.resolve("sparse-po-masks.safetensors")),
                "no learned mask in " + checkpoint);
        assertEquals(0, run("train", "--config", cfg.toString(), "--resume=force"), err.toString());
        assertTrue(err.toString().contains("resuming from " + checkpoint), err.toString());
        List<Double> a = Reward4jTest.losses(straight.resolve("metrics.jsonl"));
        List<Double> b = Reward4jTest.losses(split.resolve("metrics.jsonl"));
        assertEquals(0, Reward4jTest.maxLossDiff(a, b, 4), 1e-6, a + " vs " + b);
        // the mask learned something: the loss moved off log 2 by the last step
        assertTrue(Math.abs(a.get(3) - Math.log(2)) > 1e-4, a.toString());
    }
}
