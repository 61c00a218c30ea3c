package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.synth.ContextPreferences;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthContextPair;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context-conditioned reward model from the launcher: {@code reward4j train} with {@code bt} on
 * TRL rows that carry a {@code context}, then {@code reward4j eval} on held-out context-flip pairs
 * reports {@code context_flip/accuracy} of at least 0.9, while the same training without the
 * context field gives a model that gets no flip couple right (it cannot order both directions of
 * one comparison). Rows with a context but no flip partner are counted.
 */
class ContextEvalRunTest {
    @TempDir Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    Path rows(String name, List<SynthContextPair> pairs, boolean context) throws IOException {
        List<String> lines = new ArrayList<>();
        for (SynthContextPair p : pairs) {
            ObjectNode o =
                    JSON.createObjectNode()
                            .put("prompt", p.prompt())
                            .put("chosen", p.chosen())
                            .put("rejected", p.rejected());
            if (context) {
                o.put("context", p.context());
            }
            lines.add(o.toString());
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    JsonNode trainAndEval(
            LauncherRuns runs, Path base, Path tokenizer, Path train, Path heldOut, String name)
            throws IOException {
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "model: {path: " + base + ", tokenizer: " + tokenizer + "}",
                        "data: {train: " + train + ", max_length: 64, batch_size: 32}",
                        "objective: {type: bt}",
                        "optim: {lr: 3.0e-3}",
                        "schedule: {type: cosine, warmup_steps: 10}",
                        "train: {max_steps: 300, log_every: 50, output_dir: "
                                + dir.resolve(name)
                                + "}",
                        "checkpoint: {every: 0}",
                        ""));
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err.toString());
        Path out = dir.resolve("eval-" + name);
        assertEquals(
                0,
                runs.run(
                        "eval",
                        "--model",
                        dir.resolve(name + "/final").toString(),
                        "--data",
                        heldOut.toString(),
                        "--output",
                        out.toString()),
                runs.err.toString());
        return JSON.readTree(out.resolve("heldout-result.json").toFile()).path("metrics");
    }

    @Test
    void evalReportsContextFlipAccuracyOfAContextRewardModelTrainedByTheLauncher()
            throws IOException {
        ContextPreferences gen = new ContextPreferences(23);
        List<SynthContextPair> train = gen.pairs(Split.TRAIN, 0, 2048);
        List<SynthContextPair> test = new ArrayList<>(gen.pairs(Split.HELD_OUT, 0, 400));
        // one held-out pair whose couple partner is missing: counted, not a flip pair
        test.add(gen.pairs(Split.HELD_OUT, 400, 1).get(0));
        Path tokenizer = dir.resolve("tokenizer");
        Path base = dir.resolve("base");
        try (SynthText text = SynthText.of(tokenizer, gen.vocabulary());
                DecoderModel model = TinyTraining.tiny(text.vocabSize(), ModelHead.REWARD, 29)) {
            model.save(base, text.dir());
        }
        LauncherRuns runs = new LauncherRuns(dir);
        Path heldOut = rows("heldout.jsonl", test, true);
        JsonNode aware =
                trainAndEval(
                        runs, base, tokenizer, rows("train.jsonl", train, true), heldOut, "aware");
        JsonNode blind =
                trainAndEval(
                        runs,
                        base,
                        tokenizer,
                        rows("train-blind.jsonl", train, false),
                        heldOut,
                        "blind");
        System.out.printf(
                "context (launcher): flip accuracy context RM %.4f (groups %.4f), trained"
                        + " without context %.4f (groups %.4f)%n",
                aware.path("context_flip/accuracy").asDouble(),
                aware.path("context_flip/group_accuracy").asDouble(),
                blind.path("context_flip/accuracy").asDouble(),
                blind.path("context_flip/group_accuracy").asDouble());
        assertTrue(aware.path("context_flip/accuracy").asDouble() >= 0.9, aware.toString());
        assertEquals(400, aware.path("context_flip/pairs").asInt(), aware.toString());
        assertEquals(200, aware.path("context_flip/groups").asInt(), aware.toString());
        assertEquals(401, aware.path("context/pairs").asInt(), aware.toString());
        assertEquals(1, aware.path("context/without_flip").asInt(), aware.toString());
        assertTrue(blind.path("context_flip/group_accuracy").asDouble() <= 0.1, blind.toString());
        assertTrue(runs.out.toString().contains("context_flip/accuracy"), "not printed by eval");
    }
}
