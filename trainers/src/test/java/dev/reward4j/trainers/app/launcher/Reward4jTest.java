package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.optim.Gradients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the command line, on the tiny fixture models and tokenizer. */
class Reward4jTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static final String[] WORDS = {
        "good", "great", "fine", "bad", "awful", "poor", "the", "answer", "is", "clear", "wrong"
    };

    Path prefs(String name, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(
                    String.format(
                            "{\"prompt\": \"question %d: %s %s?\", \"chosen\": \"%s %s answer\","
                                    + " \"rejected\": \"%s %s\"}",
                            i,
                            WORDS[r.nextInt(WORDS.length)],
                            WORDS[r.nextInt(WORDS.length)],
                            WORDS[r.nextInt(3)],
                            WORDS[6 + r.nextInt(4)],
                            WORDS[3 + r.nextInt(3)],
                            WORDS[6 + r.nextInt(5)]));
        }
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    /**
     * HH-RLHF transcripts: {@code n} good rows, one far longer than 64 tokens, one without a shared
     * assistant turn.
     */
    Path hhRlhf(String name, int n, long seed) throws IOException {
        Random r = new Random(seed);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String dialogue =
                    "\n\nHuman: question "
                            + i
                            + " "
                            + WORDS[r.nextInt(WORDS.length)]
                            + "?\n\nAssistant:";
            lines.add(
                    json.writeValueAsString(
                            java.util.Map.of(
                                    "chosen", dialogue + " " + WORDS[r.nextInt(3)] + " answer",
                                    "rejected", dialogue + " " + WORDS[3 + r.nextInt(3)])));
        }
        String longDialogue = "\n\nHuman: " + "tell me more ".repeat(60) + "\n\nAssistant:";
        lines.add(
                json.writeValueAsString(
                        java.util.Map.of(
                                "chosen",
                                longDialogue + " good",
                                "rejected",
                                longDialogue + " bad")));
        lines.add(
                json.writeValueAsString(
                        java.util.Map.of(
                                "chosen", "\n\nHuman: hi", "rejected", "\n\nHuman: hello")));
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    /** A sample file of the core test-jar ({@code core/src/test/resources/data}). */
    static Path coreData(String name) {
        return Fixtures.hf().getParent().getParent().resolve("data").resolve(name);
    }

    /** The value of a data counter ({@code dropped}, {@code eval kept}, ...) in summary.json. */
    static long counter(String summaryJson, String name) {
        try {
            JsonNode data = new ObjectMapper().readTree(summaryJson).path("data");
            assertTrue(data.has(name), "no counter '" + name + "' in\n" + summaryJson);
            return data.get(name).asLong();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int fresh;

    /** An override giving the next run a directory of its own. */
    String freshOutput() {
        return "train.output_dir=" + dir.resolve("run-" + ++fresh);
    }

    Path config(String yaml) throws IOException {
        Path p = dir.resolve("run.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    /**
     * A run of the causal-LM fixture: {@code data} and {@code objective} flow mappings, {@code
     * steps} steps into {@code output}.
     */
    Path lmConfig(String data, String objective, Path output, int steps) throws IOException {
        return fixtureConfig("llama-lm", data, objective, output, steps);
    }

    /** A run of fixture {@code model} (with the fixture tokenizer), as {@link #lmConfig}. */
    Path fixtureConfig(String model, String data, String objective, Path output, int steps)
            throws IOException {
        return config(
                String.join(
                        "\n",
                        "model: {path: "
                                + Fixtures.hf(model)
                                + ", tokenizer: "
                                + Fixtures.hf("tokenizer")
                                + "}",
                        "data: " + data,
                        "objective: " + objective,
                        "optim: {lr: 1.0e-3}",
                        "train: {max_steps: "
                                + steps
                                + ", log_every: 1, output_dir: "
                                + output
                                + "}",
                        "checkpoint: {every: 0}",
                        ""));
    }

    String rmYaml(Path train, Path eval, Path output) {
        return String.join(
                "\n",
                "model:",
                "  path: " + Fixtures.hf("llama-rm"),
                "  tokenizer: " + Fixtures.hf("tokenizer"),
                "data:",
                "  train: " + train,
                "  eval: " + eval,
                "  max_length: 64",
                "  batch_size: 4",
                "objective: {type: bt}",
                "optim: {lr: 1.0e-3}",
                "schedule: {type: constant}",
                "train: {max_steps: 4, log_every: 1, output_dir: " + output + "}",
                "checkpoint: {every: 2, keep_last: 2}",
                "");
    }

    @Nested
    class Train {
        @Test
        void trainsCheckpointsResumesAndScoresARewardModel() throws IOException {
            Path train = prefs("train.jsonl", 24, 1);
            Path eval = prefs("eval.jsonl", 8, 2);
            Path output = dir.resolve("run");
            Path cfg = config(rmYaml(train, eval, output));
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            assertTrue(Files.exists(output.resolve("final/model.safetensors")), out.toString());
            assertTrue(Files.exists(output.resolve("final/tokenizer.json")));
            assertEquals(
                    List.of(
                            output.resolve("checkpoints/checkpoint-2"),
                            output.resolve("checkpoints/checkpoint-4")),
                    new dev.reward4j.trainers.checkpoint.Checkpointer(
                                    output.resolve("checkpoints"), 2)
                            .list());
            Path ckpt = output.resolve("checkpoints/checkpoint-4");
            for (String f :
                    List.of(
                            "model.safetensors",
                            "config.json",
                            "reward4j-config.json",
                            "optimizer.safetensors",
                            "optimizer.json",
                            "trainer_state.json",
                            "run.json")) {
                assertTrue(Files.exists(ckpt.resolve(f)), "checkpoint file " + f);
            }
            JsonNode runJson = new ObjectMapper().readTree(ckpt.resolve("run.json").toFile());
            assertTrue(
                    runJson.path("data_digests").toString().contains("sha256:")
                            || runJson.path("dataDigests").toString().contains("sha256:"),
                    runJson.toString());
            List<String> metrics = Files.readAllLines(output.resolve("metrics.jsonl"));
            assertTrue(metrics.size() >= 5, metrics.toString()); // 4 train + 1 eval
            assertTrue(
                    metrics.stream()
                            .anyMatch(
                                    l -> l.contains("\"phase\":\"eval\"") && l.contains("\"ece\"")),
                    metrics.toString());
            String html = Files.readString(output.resolve("report/report.html"));
            assertTrue(
                    html.contains("loss.png") && Files.size(output.resolve("report/loss.png")) > 0,
                    "HTML report with charts");

            // resume: same output dir, more steps
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            cfg.toString(),
                            "--set",
                            "train.max_steps=6",
                            "--resume=force"),
                    err.toString());
            assertTrue(err.toString().contains("resuming from " + ckpt), out.toString());
            assertTrue(Files.exists(output.resolve("checkpoints/checkpoint-6")));

            // score every row of a JSONL file
            Path rows = dir.resolve("rows.jsonl");
            Files.writeString(
                    rows,
                    "{\"prompt\": \"q?\", \"response\": \"good answer\"}\n"
                            + "{\"id\": 7, \"prompt\": [{\"role\": \"user\", \"content\": \"q?\"}],"
                            + " \"completion\": \"bad\"}\n");
            Path scored = dir.resolve("scored.jsonl");
            assertEquals(
                    0,
                    run(
                            "score",
                            "--model",
                            output.resolve("final").toString(),
                            "--input",
                            rows.toString(),
                            "--output",
                            scored.toString()),
                    err.toString());
            List<String> lines = Files.readAllLines(scored);
            assertEquals(2, lines.size());
            for (String l : lines) {
                assertTrue(new ObjectMapper().readTree(l).get("reward").isDouble(), l);
            }
        }

        @Test
        void trainsDpoWithACachedReferenceThatIsReused() throws IOException {
            Path train = prefs("train.jsonl", 12, 3);
            Path output = dir.resolve("dpo");
            String yaml =
                    String.join(
                            "\n",
                            "model: {path: "
                                    + Fixtures.hf("llama-lm")
                                    + ", tokenizer: "
                                    + Fixtures.hf("tokenizer")
                                    + ", reference_cache: "
                                    + dir.resolve("ref")
                                    + "}",
                            "data: {train: " + train + ", max_length: 64, batch_size: 4}",
                            "objective: {type: dpo, beta: 0.1}",
                            "optim: {lr: 1.0e-3}",
                            "train: {max_steps: 3, output_dir: " + output + "}",
                            "checkpoint: {every: 0, resume: false}",
                            "");
            Path cfg = config(yaml);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            assertTrue(
                    err.toString().contains("computing reference log-probs of 12 pairs"),
                    out.toString());
            try (var files = Files.list(dir.resolve("ref"))) {
                assertEquals(
                        1,
                        files.filter(p -> p.getFileName().toString().startsWith("reference-logps-"))
                                .count());
            }
            assertEquals(
                    0,
                    run("train", "--config", cfg.toString(), "--set", freshOutput()),
                    err.toString());
            assertTrue(err.toString().contains("reference log-probs from"), out.toString());
        }
    }

    @Nested
    class Formats {
        String hhYaml(Path train, Path output, String format) {
            return String.join(
                    "\n",
                    "model: {path: "
                            + Fixtures.hf("llama-rm")
                            + ", tokenizer: "
                            + Fixtures.hf("tokenizer")
                            + "}",
                    "data: {train: "
                            + train
                            + ", format: "
                            + format
                            + ", max_length: 64, batch_size: 4, truncation: drop, lenient: true}",
                    "objective: {type: bt}",
                    "optim: {lr: 1.0e-3}",
                    "train: {max_steps: 2, output_dir: " + output + "}",
                    "checkpoint: {every: 0}",
                    "");
        }

        @Test
        void trainsARewardModelFromHhRlhfTranscriptsAndTheSummaryShowsTheDataCounters()
                throws IOException {
            Path train = hhRlhf("hh.jsonl", 8, 4);
            Path output = dir.resolve("hh");
            assertEquals(
                    0,
                    run("train", "--config", config(hhYaml(train, output, "hh-rlhf")).toString()),
                    err.toString());
            assertTrue(Files.exists(output.resolve("final/model.safetensors")));
            String summary = Files.readString(output.resolve("summary.json"));
            assertEquals(10, counter(summary, "read"), summary);
            assertEquals(8, counter(summary, "kept"), summary);
            assertEquals(
                    1,
                    counter(summary, "dropped"),
                    summary); // the long transcript, truncation: drop
            assertEquals(
                    1,
                    counter(summary, "skipped"),
                    summary); // no shared assistant turn: not an HH-RLHF pair
            assertEquals(0, counter(summary, "truncated"), summary);
            assertEquals(0, counter(summary, "invalid"), summary);
        }

        @Test
        void theTrlReaderReadsTheSameFileDifferently() throws IOException {
            // TRL splits an implicit prompt at the first differing character: the row without an
            // assistant turn is a pair
            Path train = hhRlhf("hh.jsonl", 8, 4);
            Path output = dir.resolve("trl");
            assertEquals(
                    0,
                    run("train", "--config", config(hhYaml(train, output, "trl")).toString()),
                    err.toString());
            String summary = Files.readString(output.resolve("summary.json"));
            assertEquals(0, counter(summary, "skipped"), summary);
            assertEquals(9, counter(summary, "kept"), summary);
        }

        @Test
        void trainsARegressionHeadWithOneOutputPerHelpSteer2Attribute() throws IOException {
            Path output = dir.resolve("reg");
            Path data = coreData("helpsteer2.jsonl");
            Path cfg =
                    lmConfig(
                            "{train: "
                                    + data
                                    + ", eval: "
                                    + data
                                    + ", max_length: 64, batch_size: 2}",
                            "{type: regression}",
                            output,
                            2);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            JsonNode hf = new ObjectMapper().readTree(output.resolve("final/config.json").toFile());
            assertEquals(5, hf.path("num_labels").asInt(), hf.toString());
            String summary = Files.readString(output.resolve("summary.json"));
            assertEquals(3, counter(summary, "kept"), summary);
            assertEquals(3, counter(summary, "eval kept"), summary);
        }

        @Test
        void aFormatTheObjectiveCannotUseExitsWithTwoBeforeTraining() throws IOException {
            Path output = dir.resolve("bad");
            Path cfg = config(hhYaml(coreData("kto.jsonl"), output, "kto"));
            assertEquals(2, run("train", "--config", cfg.toString()));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j train: data.format: kto reads unpaired feedback but"
                                            + " objective bt"
                                            + " trains on preference pairs"),
                    err.toString());
            assertTrue(Files.notExists(output));
        }
    }

    @Nested
    class PolicyObjectives {
        double firstLoss(Path train, String objective, String name) throws IOException {
            Path output = dir.resolve(name);
            Path cfg =
                    lmConfig(
                            "{train: " + train + ", max_length: 64, batch_size: 4}",
                            objective,
                            output,
                            1);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            return losses(output.resolve("metrics.jsonl")).get(0);
        }

        @Test
        void orpoAndCpoTrainWithTheChosenNllTerm() throws IOException {
            Path train = prefs("train.jsonl", 4, 6);
            // same data, same start: the only difference is the chosen NLL (a tiny random LM:
            // several nats per token)
            double orpoResponse = firstLoss(train, "{type: orpo, nll_tokens: response}", "orpoR");
            double orpoAlone = firstLoss(train, "{type: orpo, nll_weight: 0}", "orpo0");
            assertTrue(orpoResponse - orpoAlone > 1, orpoResponse + " vs " + orpoAlone);
            double cpo = firstLoss(train, "{type: cpo, nll_weight: 0.5}", "cpo");
            double cpoAlone = firstLoss(train, "{type: cpo, nll_weight: 0}", "cpo0");
            assertEquals(
                    0.5,
                    (cpo - cpoAlone) / (orpoResponse - orpoAlone),
                    1e-3); // the same response NLL, half the weight
            // TRL's ORPO (the default) averages its NLL over prompt and response tokens: another
            // token mean of the same forward
            double orpo = firstLoss(train, "{type: orpo}", "orpo");
            assertTrue(Math.abs(orpo - orpoResponse) > 1e-3, orpo + " vs " + orpoResponse);
            assertTrue(orpo - orpoAlone > 1, orpo + " vs " + orpoAlone);
            assertTrue(!err.toString().contains("reference log-probs"), out.toString());
        }

        /** The first two losses of a run; the first step has policy == reference. */
        List<Double> twoLosses(Path train, String objective, String name) throws IOException {
            Path output = dir.resolve(name);
            Path cfg =
                    lmConfig(
                            "{train: " + train + ", max_length: 64, batch_size: 4}",
                            objective,
                            output,
                            2);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            List<Double> l = losses(output.resolve("metrics.jsonl"));
            assertEquals(2, l.size(), l.toString());
            assertTrue(Double.isFinite(l.get(1)), l.toString());
            return l;
        }

        @Test
        void trlLossTypesTrainFromTheirConfigNames() throws IOException {
            Path train = prefs("train.jsonl", 4, 6);
            // step 1: policy == reference, so every log-ratio is 0 (beta 0.1 by default)
            double ln2 = Math.log(2);
            Map<String, Double> atReference =
                    Map.of(
                            "exo_pair",
                            0.5 * Math.log(0.5 / (1 - 1e-3)) + 0.5 * Math.log(0.5 / 1e-3),
                            "nca_pair",
                            2 * ln2,
                            "bco_pair",
                            2 * ln2,
                            "sppo_hard",
                            2 * 25.0,
                            "aot",
                            ln2,
                            "aot_unpaired",
                            ln2,
                            "apo_zero",
                            1.0,
                            "apo_down",
                            1.0,
                            "discopop",
                            0.5 * ln2 + 0.5);
            for (Map.Entry<String, Double> e : atReference.entrySet()) {
                List<Double> l = twoLosses(train, "{type: " + e.getKey() + "}", e.getKey());
                assertEquals(e.getValue(), l.get(0), 1e-4, e.getKey());
            }
            // SFT alone, and MPO's combination 0.8 sigmoid + 0.2 bco_pair + 1.0 sft
            double sft = twoLosses(train, "{type: sft}", "sft").get(0);
            assertTrue(sft > 1, "a tiny random LM: several nats per token (" + sft + ")");
            double mpo = twoLosses(train, "{type: combined}", "mpo").get(0);
            assertEquals(0.8 * ln2 + 0.2 * 2 * ln2 + sft, mpo, 1e-4);
            // LD-DPO at the reference: the tails cancel in the log-ratios, log 2 again
            double ld =
                    twoLosses(
                                    train,
                                    "{type: combined, loss_type: [sigmoid], loss_weights: null,"
                                            + " ld_alpha: 0.5}",
                                    "ld")
                            .get(0);
            assertEquals(ln2, ld, 1e-4);
            // WPO: log 2 times the mean of exp(a_c + a_r) over the pairs, a weight in (0, 1] for a
            // near-uniform tiny LM (p_t / sum_v p_v^2 about 1)
            double wpo =
                    twoLosses(
                                    train,
                                    "{type: combined, loss_type: [sigmoid], loss_weights: null,"
                                            + " use_weighting: true}",
                                    "wpo")
                            .get(0);
            assertTrue(wpo > 0 && wpo < 1.5 * ln2 && Math.abs(wpo - ln2) > 1e-6, "wpo " + wpo);
        }

        @Test
        void fDpoTrainsWithADivergence() throws IOException {
            double js =
                    firstLoss(prefs("train.jsonl", 4, 6), "{type: f-dpo, divergence: js}", "fdpo");
            assertEquals(
                    Math.log(2),
                    js,
                    1e-4); // policy == reference at the first step: -log sigmoid(0)
            double power =
                    firstLoss(
                            prefs("train.jsonl", 4, 6),
                            "{type: f-dpo, divergence: alpha-power}",
                            "fdpo-power");
            assertEquals(Math.log(2), power, 1e-4);
        }
    }

    @Nested
    class ReferenceCacheOfHeldOutPairs {
        String dpoYaml(Path train, Path eval) {
            return String.join(
                    "\n",
                    "model: {path: "
                            + Fixtures.hf("llama-lm")
                            + ", tokenizer: "
                            + Fixtures.hf("tokenizer")
                            + ", reference_cache: "
                            + dir.resolve("ref")
                            + "}",
                    "data: {train: "
                            + train
                            + ", eval: "
                            + eval
                            + ", max_length: 64, batch_size: 4}",
                    "objective: {type: dpo}",
                    "train: {max_steps: 1, output_dir: " + dir.resolve("dpo") + "}",
                    "checkpoint: {every: 0, resume: false}",
                    "");
        }

        @Test
        void theCacheHoldsTheHeldOutPairsSoEvaluationWorks() throws IOException {
            Path train = prefs("train.jsonl", 8, 3);
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            config(dpoYaml(train, prefs("eval.jsonl", 4, 4))).toString()),
                    err.toString());
            assertTrue(
                    err.toString().contains("computing reference log-probs of 12 pairs"),
                    out.toString());
            assertTrue(out.toString().contains("final eval:"), out.toString());
            // other held-out pairs: the cache does not hold them, an error before training rather
            // than at the first evaluation
            assertEquals(
                    2,
                    run(
                            "train",
                            "--config",
                            config(dpoYaml(train, prefs("other.jsonl", 4, 5))).toString(),
                            "--set",
                            freshOutput()));
            assertTrue(
                    err.toString().contains("reward4j train: model.reference_cache: "),
                    err.toString());
            assertTrue(
                    err.toString().contains(" lacks 4 of the 12 training and held-out pairs"),
                    err.toString());
        }

        @Test
        void theCacheIsReusedForTheSameTokensAndStaleTokensUnderTheSameIdsStopTheRunBeforeTraining()
                throws IOException {
            Path train = prefs("train.jsonl", 6, 11);
            Path eval = prefs("eval.jsonl", 2, 12);
            String yaml = config(dpoYaml(train, eval)).toString();
            assertEquals(0, run("train", "--config", yaml), err.toString());
            assertTrue(
                    err.toString().contains("computing reference log-probs of 8 pairs"),
                    out.toString());
            out.reset();
            err.reset();
            // same data: reused
            assertEquals(0, run("train", "--config", yaml, "--set", freshOutput()), err.toString());
            assertTrue(
                    err.toString().contains("reward4j: reference log-probs from "), out.toString());
            assertFalse(err.toString().contains("computing reference log-probs"), out.toString());
            // a smaller max_length: the same ids (file:line) now hold truncated tokens
            assertEquals(
                    2,
                    run(
                            "train",
                            "--config",
                            yaml,
                            "--set",
                            "data.max_length=12",
                            "--set",
                            freshOutput()));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j train: model.reference_cache: the tokens of pair '"
                                            + train),
                    err.toString());
            assertTrue(
                    err.toString().contains("changed since " + dir.resolve("ref")), err.toString());
            assertTrue(
                    err.toString()
                            .contains(
                                    "delete the cache directory "
                                            + dir.resolve("ref")
                                            + " or point model.reference_cache at a new path"),
                    err.toString());
            err.reset();
            // other texts in the same file: same ids, other tokens
            prefs("train.jsonl", 6, 13);
            assertEquals(2, run("train", "--config", yaml, "--set", freshOutput()));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j train: model.reference_cache: the tokens of pair '"
                                            + train
                                            + ":1' changed since "),
                    err.toString());
            assertTrue(
                    err.toString().contains("(6 of the 8 training and held-out pairs changed)"),
                    err.toString());
        }

        @Test
        void duplicateIdsAreAnErrorBecauseTheCacheKeysById() throws IOException {
            Path train = dir.resolve("dup.jsonl");
            Files.write(
                    train,
                    List.of(
                            "{\"id\": 1, \"prompt\": \"a?\", \"chosen\": \"good\", \"rejected\":"
                                    + " \"bad\"}",
                            "{\"id\": 1, \"prompt\": \"b?\", \"chosen\": \"fine\", \"rejected\":"
                                    + " \"poor\"}"));
            assertEquals(2, run("train", "--config", config(dpoYaml(train, train)).toString()));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j train: model.reference_cache: pair id '1' occurs more"
                                            + " than once"),
                    err.toString());
        }
    }

    static List<Double> losses(Path metrics) throws IOException {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.path("phase").asText().equals("train")) {
                out.add(n.path("values").path("loss").asDouble());
            }
        }
        return out;
    }

    /**
     * The largest step-wise difference of two runs' training losses, after checking both logged
     * {@code steps} steps.
     */
    static double maxLossDiff(List<Double> a, List<Double> b, int steps) {
        assertEquals(steps, a.size(), a.toString());
        assertEquals(steps, b.size(), b.toString());
        double maxDiff = 0;
        for (int i = 0; i < steps; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a.get(i) - b.get(i)));
        }
        return maxDiff;
    }

    /** The values of the last {@code eval} line of a metrics file. */
    static Map<String, Double> lastEval(Path metrics) throws IOException {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.path("phase").asText().equals("eval")) {
                out.clear();
                n.path("values")
                        .fields()
                        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
            }
        }
        return out;
    }

    @Nested
    class Packing {
        @Test
        void aPackedRunTrainsCheckpointsResumesAndEndsWhereThePaddedRunEnds() throws IOException {
            // the TRL sample (3 pairs, one margin, one weight 0.5): batches of 4 pairs wrap the
            // shuffled epochs
            Path train = coreData("trl-standard.jsonl");
            Path eval = prefs("eval.jsonl", 8, 2);
            Path padded = dir.resolve("padded");
            Path packed = dir.resolve("packed");
            Files.writeString(
                    dir.resolve("padded.yaml"),
                    rmYaml(train, eval, padded).replace("max_steps: 4", "max_steps: 6"));
            assertEquals(
                    0,
                    run("train", "--config", dir.resolve("padded.yaml").toString()),
                    err.toString());
            String packedYaml =
                    rmYaml(train, eval, packed)
                            .replace("  batch_size: 4", "  batch_size: 4\n  packing: true");
            Files.writeString(dir.resolve("packed.yaml"), packedYaml);
            assertFalse(err.toString().contains("packing"), out.toString());
            assertEquals(
                    0,
                    run("train", "--config", dir.resolve("packed.yaml").toString()),
                    err.toString()); // steps 1-4
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j: packing each micro-batch's pairs into rows of 64"
                                            + " tokens"),
                    err.toString());
            assertTrue(
                    Files.exists(packed.resolve("checkpoints/checkpoint-4/model.safetensors")),
                    out.toString());
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            dir.resolve("packed.yaml").toString(),
                            "--set",
                            "train.max_steps=6",
                            "--resume=force"),
                    err.toString());
            assertTrue(
                    err.toString()
                            .contains(
                                    "resuming from " + packed.resolve("checkpoints/checkpoint-4")),
                    out.toString());
            assertTrue(Files.exists(packed.resolve("final/model.safetensors")));

            List<Double> a = losses(padded.resolve("metrics.jsonl"));
            List<Double> b = losses(packed.resolve("metrics.jsonl"));
            double maxLoss = maxLossDiff(a, b, 6);
            assertEquals(0, maxLoss, 1e-4, "training losses: padded " + a + " vs packed " + b);
            Map<String, Double> ea = lastEval(padded.resolve("metrics.jsonl"));
            Map<String, Double> eb = lastEval(packed.resolve("metrics.jsonl"));
            assertTrue(
                    ea.containsKey("loss")
                            && ea.containsKey("rewards/accuracies")
                            && ea.containsKey("ece"),
                    ea.toString());
            assertEquals(ea.keySet(), eb.keySet());
            double maxEval = 0;
            for (String k : ea.keySet()) {
                maxEval = Math.max(maxEval, Math.abs(ea.get(k) - eb.get(k)));
                assertEquals(
                        ea.get(k),
                        eb.get(k),
                        1e-4,
                        "final eval " + k + ": padded " + ea + " vs packed " + eb);
            }
            System.out.printf(
                    "packing e2e: max |train loss diff| %.2g over 6 steps, max |final eval diff|"
                            + " %.2g%n",
                    maxLoss, maxEval);
        }
    }

    @Nested
    class Resume {
        @Test
        void threeStepsPlusResumePlusThreeEqualsSixUninterruptedSteps() throws IOException {
            // constant lr so that a 3-step run is exactly an interrupted 6-step run (LrSchedule is
            // a pure function of the step)
            Path train =
                    prefs(
                            "train.jsonl",
                            20,
                            5); // 20 pairs, 4 x 2 per step: shuffled epochs wrap mid-run
            String common =
                    "data: {train: "
                            + train
                            + ", max_length: 64, batch_size: 4}\n"
                            + "model: {path: "
                            + Fixtures.hf("llama-rm")
                            + ", tokenizer: "
                            + Fixtures.hf("tokenizer")
                            + "}\n"
                            + "optim: {lr: 2.0e-3, weight_decay: 0.01}\n"
                            + "schedule: {type: constant, warmup_steps: 2}\n";
            Path straight = dir.resolve("straight");
            Files.writeString(
                    dir.resolve("a.yaml"),
                    common
                            + "train: {max_steps: 6, micro_steps: 2, log_every: 1, output_dir: "
                            + straight
                            + "}\ncheckpoint: {every: 0}\n");
            assertEquals(
                    0, run("train", "--config", dir.resolve("a.yaml").toString()), err.toString());
            Path split = dir.resolve("split");
            Files.writeString(
                    dir.resolve("b.yaml"),
                    common
                            + "train: {max_steps: 6, micro_steps: 2, log_every: 1, output_dir: "
                            + split
                            + "}\ncheckpoint: {every: 3}\n");
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            dir.resolve("b.yaml").toString(),
                            "--set",
                            "train.max_steps=3"),
                    err.toString());
            assertEquals(
                    0,
                    run("train", "--config", dir.resolve("b.yaml").toString(), "--resume=force"),
                    err.toString());
            assertTrue(
                    err.toString()
                            .contains("resuming from " + split.resolve("checkpoints/checkpoint-3")),
                    out.toString());
            List<Double> a = losses(straight.resolve("metrics.jsonl"));
            List<Double> b = losses(split.resolve("metrics.jsonl"));
            double maxDiff = maxLossDiff(a, b, 6);
            System.out.printf(
                    "resume: max |loss(3 + resume + 3) - loss(6)| = %.3g over 6 steps%n", maxDiff);
            assertEquals(0, maxDiff, 1e-6, "straight " + a + " vs resumed " + b);
        }
    }

    @Nested
    class Evaluate {
        @Test
        void evaluatesARewardBenchStyleFileWithTheFixtureModel() throws IOException {
            Path bench = dir.resolve("bench.jsonl");
            Files.write(
                    bench,
                    List.of(
                            "{\"id\": 1, \"subset\": \"alpacaeval-easy\", \"prompt\": \"hi\","
                                    + " \"chosen\": \"good answer\", \"rejected\": \"bad\"}",
                            "{\"id\": 2, \"subset\": \"alpacaeval-easy\", \"prompt\": \"why?\","
                                    + " \"chosen\": \"because\", \"rejected\": \"no\"}"));
            Path output = dir.resolve("eval");
            assertEquals(
                    0,
                    run(
                            "eval",
                            "--model",
                            Fixtures.hf("llama-rm").toString(),
                            "--tokenizer",
                            Fixtures.hf("tokenizer").toString(),
                            "--data",
                            bench.toString(),
                            "--output",
                            output.toString(),
                            "--batch-size",
                            "1"),
                    err.toString());
            assertTrue(out.toString().contains("overall"), out.toString());
            assertTrue(Files.exists(output.resolve("rewardbench-result.json")));
        }

        @Test
        void evaluatesAPolicyByItsImplicitRewardAgainstAReference() throws IOException {
            Path bench = dir.resolve("bench.jsonl");
            Files.write(
                    bench,
                    List.of(
                            "{\"id\": 1, \"subset\": \"alpacaeval-easy\", \"prompt\": \"hi\","
                                    + " \"chosen\": \"good answer\", \"rejected\": \"bad\"}"));
            Path lm = Fixtures.hf("llama-lm");
            assertEquals(
                    0,
                    run(
                            "eval",
                            "--model",
                            lm.toString(),
                            "--reference",
                            lm.toString(),
                            "--tokenizer",
                            Fixtures.hf("tokenizer").toString(),
                            "--data",
                            bench.toString(),
                            "--output",
                            dir.resolve("pe").toString()),
                    err.toString());
            // policy == reference: every implicit reward is 0, a tie, which RewardBench v1 counts
            // as wrong
            assertTrue(out.toString().contains("overall 0.0000"), out.toString());
        }

        /**
         * Runs {@code eval} of the reward-model fixture on {@code data} into {@code output};
         * returns the exit status.
         */
        int evalRm(Path data, Path output, int batchSize, String... more) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "eval",
                                    "--model",
                                    Fixtures.hf("llama-rm").toString(),
                                    "--tokenizer",
                                    Fixtures.hf("tokenizer").toString(),
                                    "--data",
                                    data.toString(),
                                    "--output",
                                    output.toString(),
                                    "--batch-size",
                                    Integer.toString(batchSize),
                                    "--max-length",
                                    "64"));
            args.addAll(List.of(more));
            return run(args.toArray(String[]::new));
        }

        List<JsonNode> scoreLines(Path output) throws IOException {
            List<JsonNode> rows = new ArrayList<>();
            for (String l : Files.readAllLines(output.resolve("heldout-scores.jsonl"))) {
                rows.add(new ObjectMapper().readTree(l));
            }
            return rows;
        }

        @Test
        void evaluatesAHeldOutTrlFileAndTheAccuracyIsThatOfTheWrittenScores() throws IOException {
            Path heldOut = prefs("heldout.jsonl", 7, 11);
            Path output = dir.resolve("heldout");
            assertEquals(0, evalRm(heldOut, output, 3), err.toString());
            assertTrue(out.toString().startsWith("held-out pairs: 7 scored"), out.toString());
            assertTrue(out.toString().contains("rewards/accuracies"), out.toString());
            assertTrue(out.toString().contains("results: " + output), out.toString());
            assertFalse(out.toString().contains("{"), "no raw map: " + out);
            JsonNode summary = new ObjectMapper().readTree(output.resolve("summary.json").toFile());
            assertEquals("reward4j.summary/1", summary.path("schema").asText());
            assertEquals("eval", summary.path("command").asText());
            assertTrue(
                    summary.path("eval").path("rewards/accuracies").isNumber(), summary.toString());
            List<JsonNode> rows = scoreLines(output);
            assertEquals(7, rows.size());
            long correct = 0;
            for (JsonNode r : rows) {
                boolean c = r.get("chosen").asDouble() > r.get("rejected").asDouble();
                assertEquals(c, r.get("correct").asBoolean(), r.toString());
                correct += c ? 1 : 0;
            }
            JsonNode result =
                    new ObjectMapper().readTree(output.resolve("heldout-result.json").toFile());
            assertEquals(7, result.get("pairs").asInt());
            assertEquals(
                    correct / 7.0,
                    result.path("metrics").path("rewards/accuracies").asDouble(),
                    1e-12,
                    result.toString());
            double ece = result.path("metrics").path("ece").asDouble(-1);
            assertTrue(ece >= 0 && ece <= 1, result.toString());
            JsonNode counters = result.path("counters");
            assertEquals(7, counters.path("read").asLong(), counters.toString());
            assertEquals(7, counters.path("scored").asLong(), counters.toString());
            for (String k : List.of("truncated", "dropped", "invalid", "skipped")) {
                assertEquals(0, counters.path(k).asLong(-1), k + " in " + counters);
            }
            JsonNode record = result.path("run");
            assertTrue(
                    record.path("tokenizer_digest").asText().startsWith("sha256:"),
                    record.toString());
            assertEquals(
                    "conversations: tokenizer chat template; plain text: as is",
                    record.path("template").asText(),
                    record.toString());
            assertEquals(
                    "KeepPromptEnd[maxLength=64, reserveResponse=32, forceEos=false,"
                            + " maxPromptLength=0, identical=DROP]",
                    record.path("truncation").asText(),
                    record.toString()); // data.truncation's default with data.max_length =
            // --max-length
            assertEquals("64", record.path("max_length").asText(), record.toString());
            assertEquals("right", record.path("padding_side").asText(), record.toString());
            assertEquals("3", record.path("batch_size").asText(), record.toString());
            assertEquals("trl", record.path("format").asText(), record.toString());
            // independently: each plain-text sequence encoded as training encodes it (no chat
            // template) and scored alone
            List<String> rowsIn = Files.readAllLines(heldOut);
            try (TextEncoder encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
                    DecoderModel model =
                            DecoderModel.load(
                                    Fixtures.hf("llama-rm"),
                                    ModelHead.REWARD,
                                    ModelOptions.defaults())) {
                for (int i = 0; i < rowsIn.size(); i++) {
                    JsonNode row = new ObjectMapper().readTree(rowsIn.get(i));
                    PlainText prompt = new PlainText(row.get("prompt").asText());
                    assertEquals(
                            aloneScore(
                                    model,
                                    encoder.encode(
                                                    prompt,
                                                    new PlainText(row.get("chosen").asText()))
                                            .ids()),
                            rows.get(i).get("chosen").asDouble(),
                            1e-5,
                            rows.get(i).toString());
                    assertEquals(
                            aloneScore(
                                    model,
                                    encoder.encode(
                                                    prompt,
                                                    new PlainText(row.get("rejected").asText()))
                                            .ids()),
                            rows.get(i).get("rejected").asDouble(),
                            1e-5,
                            rows.get(i).toString());
                }
            }
        }

        /** The reward of one unpadded sequence scored alone. */
        double aloneScore(DecoderModel model, int[] ids) {
            try (NDManager m = model.manager().newSubManager()) {
                NDArray x =
                        m.create(
                                java.util.Arrays.stream(ids).asLongStream().toArray(),
                                new Shape(1, ids.length));
                NDArray mask = m.ones(new Shape(1, ids.length), DataType.INT64);
                return Gradients.withGradModeOff(
                        () ->
                                model.scores(x, mask)
                                        .toType(DataType.FLOAT64, false)
                                        .getDouble(0, 0));
            }
        }

        @Test
        void aHeldOutEvalOfTheDataEvalFileEqualsTheFinalTrainingEvalRecord() throws IOException {
            Path train = prefs("train.jsonl", 16, 21);
            Path eval = prefs("eval.jsonl", 9, 22);
            // one pair longer than max_length: training and eval cut its prompt the same way
            // (keep-prompt-end)
            Files.writeString(
                    eval,
                    "{\"prompt\": \""
                            + "tell me more ".repeat(12)
                            + "?\", \"chosen\": \"good answer\", "
                            + "\"rejected\": \"bad\"}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Path output = dir.resolve("run");
            Path cfg =
                    fixtureConfig(
                            "llama-rm",
                            "{train: "
                                    + train
                                    + ", eval: "
                                    + eval
                                    + ", max_length: 40, batch_size: 4, "
                                    + "eval_batch_size: 4}",
                            "{type: bt}",
                            output,
                            3);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            JsonNode last = null;
            for (String l : Files.readAllLines(output.resolve("metrics.jsonl"))) {
                JsonNode n = new ObjectMapper().readTree(l);
                if (n.path("phase").asText().equals("eval")) {
                    last = n;
                }
            }
            assertTrue(
                    last != null && last.path("step").asLong() == 3,
                    "no final eval record in metrics.jsonl");
            JsonNode trained = last.path("values");
            // a batch size other than data.eval_batch_size: the scores do not depend on it
            Path heldOut = dir.resolve("heldout");
            assertEquals(
                    0,
                    run(
                            "eval",
                            "--model",
                            output.resolve("final").toString(),
                            "--data",
                            eval.toString(),
                            "--max-length",
                            "40",
                            "--batch-size",
                            "3",
                            "--output",
                            heldOut.toString()),
                    err.toString());
            JsonNode result =
                    new ObjectMapper().readTree(heldOut.resolve("heldout-result.json").toFile());
            JsonNode metrics = result.path("metrics");
            for (String k :
                    List.of(
                            "rewards/accuracies",
                            "preference_nll",
                            "rewards/chosen",
                            "rewards/rejected",
                            "rewards/margins",
                            "ece")) {
                assertTrue(
                        trained.path(k).isNumber() && metrics.path(k).isNumber(),
                        k + ": " + trained + " vs " + metrics);
                assertEquals(
                        trained.path(k).asDouble(),
                        metrics.path(k).asDouble(),
                        1e-5,
                        k + ": " + trained + " vs " + metrics);
            }
            assertEquals(10, result.path("pairs").asInt(), result.toString());
            assertEquals(1, result.path("counters").path("truncated").asLong(), result.toString());
            String summary = Files.readString(output.resolve("summary.json"));
            assertEquals(
                    counter(summary, "eval truncated"),
                    result.path("counters").path("truncated").asLong(),
                    summary);
            // the training moved the rewards away from the starting model's: the equality is not
            // that of an untrained model
            Path untrained = dir.resolve("untrained");
            assertEquals(
                    0,
                    run(
                            "eval",
                            "--model",
                            Fixtures.hf("llama-rm").toString(),
                            "--tokenizer",
                            Fixtures.hf("tokenizer").toString(),
                            "--data",
                            eval.toString(),
                            "--max-length",
                            "40",
                            "--output",
                            untrained.toString()),
                    err.toString());
            JsonNode before =
                    new ObjectMapper()
                            .readTree(untrained.resolve("heldout-result.json").toFile())
                            .path("metrics");
            assertTrue(
                    Math.abs(
                                    before.path("rewards/chosen").asDouble()
                                            - metrics.path("rewards/chosen").asDouble())
                            > 1e-4,
                    before + " vs " + metrics);
        }

        @Test
        void evaluatesAPolicyOnHeldOutPairsByItsLogRatioToTheReference() throws IOException {
            Path heldOut = prefs("heldout.jsonl", 3, 13);
            Path lm = Fixtures.hf("llama-lm");
            Path output = dir.resolve("dpo-heldout");
            assertEquals(
                    0,
                    run(
                            "eval",
                            "--model",
                            lm.toString(),
                            "--reference",
                            lm.toString(),
                            "--tokenizer",
                            Fixtures.hf("tokenizer").toString(),
                            "--data",
                            heldOut.toString(),
                            "--max-length",
                            "64",
                            "--output",
                            output.toString()),
                    err.toString());
            // policy == reference: every implicit reward is exactly 0, a tie, which counts as wrong
            for (JsonNode r : scoreLines(output)) {
                assertEquals(0.0, r.get("chosen").asDouble(), r.toString());
                assertEquals(0.0, r.get("rejected").asDouble(), r.toString());
                assertFalse(r.get("correct").asBoolean(), r.toString());
            }
            JsonNode result =
                    new ObjectMapper().readTree(output.resolve("heldout-result.json").toFile());
            assertEquals(
                    0.0,
                    result.path("metrics").path("rewards/accuracies").asDouble(),
                    result.toString());
            assertTrue(
                    result.path("run").path("reward").asText().startsWith("log-ratio vs "),
                    result.toString());
        }

        @Test
        void aBadTruncationExitsWithTwoNamingTheOptionAndTheAcceptedValues() throws IOException {
            assertEquals(
                    2,
                    evalRm(
                            prefs("heldout.jsonl", 2, 1),
                            dir.resolve("bad"),
                            2,
                            "--truncation",
                            "left"));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j eval: --max-length/--truncation: truncation: expected"
                                        + " one of [drop, keep-end, keep-prompt-end] (got 'left')"),
                    err.toString());
            assertEquals(
                    2,
                    evalRm(
                            coreData("rewardbench-v1.jsonl"),
                            dir.resolve("rb"),
                            2,
                            "--truncation",
                            "drop"));
            assertTrue(
                    err.toString().contains("--truncation: applies to held-out pairs"),
                    err.toString());
        }

        @Test
        void givesTheSameHeldOutScoresAtBatchSizes1And3() throws IOException {
            Path heldOut = prefs("heldout.jsonl", 5, 12);
            assertEquals(0, evalRm(heldOut, dir.resolve("b1"), 1), err.toString());
            assertEquals(0, evalRm(heldOut, dir.resolve("b3"), 3), err.toString());
            List<JsonNode> one = scoreLines(dir.resolve("b1"));
            List<JsonNode> three = scoreLines(dir.resolve("b3"));
            assertEquals(5, one.size());
            assertEquals(one.size(), three.size());
            for (int i = 0; i < one.size(); i++) {
                assertEquals(one.get(i).get("id"), three.get(i).get("id"));
                // right padding, score read at the last real token: equal up to float32 rounding of
                // padded matmuls
                assertEquals(
                        one.get(i).get("chosen").asDouble(),
                        three.get(i).get("chosen").asDouble(),
                        1e-5);
                assertEquals(
                        one.get(i).get("rejected").asDouble(),
                        three.get(i).get("rejected").asDouble(),
                        1e-5);
                assertEquals(one.get(i).get("correct"), three.get(i).get("correct"));
            }
        }

        @Test
        void readsHeldOutPairsWithTheGivenFormat() throws IOException {
            // 8 good transcripts and one long one (its prompt cut by keep-prompt-end, not dropped);
            // the last row of hhRlhf (no
            // shared assistant turn) is removed: eval reads strictly, so it would fail naming its
            // line
            Path hh = hhRlhf("hh.jsonl", 8, 4);
            List<String> rows = Files.readAllLines(hh);
            Files.write(hh, rows.subList(0, rows.size() - 1));
            Path output = dir.resolve("hh");
            assertEquals(0, evalRm(hh, output, 4, "--format", "hh-rlhf-chat"), err.toString());
            JsonNode result =
                    new ObjectMapper().readTree(output.resolve("heldout-result.json").toFile());
            JsonNode counters = result.path("counters");
            assertEquals(9, counters.path("read").asLong(), counters.toString());
            assertEquals(9, result.get("pairs").asInt(), result.toString());
            assertEquals(0, counters.path("skipped").asLong(), counters.toString());
            assertEquals(
                    1,
                    counters.path("truncated").asLong(),
                    counters.toString()); // the long pair (counted per pair)
            assertEquals("hh-rlhf-chat", result.path("run").path("format").asText());
        }

        @Test
        void aRewardBenchFileWithoutFormatStillTakesTheRewardBenchPath() throws IOException {
            Path output = dir.resolve("rb");
            assertEquals(0, evalRm(coreData("rewardbench-v1.jsonl"), output, 2), err.toString());
            assertTrue(out.toString().contains("overall"), out.toString());
            assertTrue(Files.exists(output.resolve("rewardbench-result.json")));
            assertTrue(Files.notExists(output.resolve("heldout-result.json")));
        }

        @Test
        void anUnknownFormatExitsWithTwoNamingTheOptionAndTheAcceptedValues() throws IOException {
            Path output = dir.resolve("bad");
            assertEquals(2, evalRm(prefs("heldout.jsonl", 2, 1), output, 2, "--format", "kto"));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j eval: --format: not a preference-pair format (got"
                                            + " 'kto'); expected one of [auto, trl, hh-rlhf,"
                                            + " hh-rlhf-chat, ultrafeedback-binarized,"
                                            + " ultrafeedback-pairs, ultrafeedback-best-vs-rest,"
                                            + " helpsteer2-preference]"),
                    err.toString());
            assertTrue(Files.notExists(output));
        }

        @Test
        void aRowThatFitsNeitherPathIsAnErrorNamingTheFileLineAndField() throws IOException {
            Path bad = dir.resolve("bad.jsonl");
            Files.write(
                    bad,
                    List.of(
                            "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}",
                            "{\"prompt\": \"q\", \"chosen\": \"a\"}"));
            assertEquals(2, evalRm(bad, dir.resolve("bad"), 2));
            assertTrue(
                    err.toString().contains(bad + ":2") && err.toString().contains("'rejected'"),
                    err.toString());
        }
    }

    @Nested
    class Unpaired {
        @Test
        void trainsKtoFromTrlUnpairedRows() throws IOException {
            Random r = new Random(9);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                boolean good = i % 2 == 0;
                lines.add(
                        String.format(
                                "{\"prompt\": \"question %d?\", \"completion\": \"%s %s\","
                                        + " \"label\": %b}",
                                i,
                                WORDS[good ? r.nextInt(3) : 3 + r.nextInt(3)],
                                WORDS[6 + r.nextInt(4)],
                                good));
            }
            Path train = dir.resolve("kto.jsonl");
            Files.write(train, lines);
            Path output = dir.resolve("kto");
            Path cfg =
                    config(
                            String.join(
                                    "\n",
                                    "model: {path: "
                                            + Fixtures.hf("llama-lm")
                                            + ", tokenizer: "
                                            + Fixtures.hf("tokenizer")
                                            + "}",
                                    "data: {train: "
                                            + train
                                            + ", eval: "
                                            + train
                                            + ", max_length: 64, batch_size: 4}",
                                    "objective: {type: kto, beta: 0.1}",
                                    "optim: {lr: 1.0e-3}",
                                    "train: {max_steps: 3, output_dir: " + output + "}",
                                    "checkpoint: {every: 0}",
                                    ""));
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            assertTrue(out.toString().contains("final eval:"), out.toString());
            assertTrue(out.toString().contains(" kl "), out.toString());
            assertTrue(Files.exists(output.resolve("final/model.safetensors")));
        }

        @Test
        void trainsUnpairedApoZeroFromItsTrlName() throws IOException {
            Random r = new Random(10);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                lines.add(
                        String.format(
                                "{\"prompt\": \"question %d?\", \"completion\": \"%s\","
                                        + " \"label\": %b}",
                                i, WORDS[r.nextInt(6)], i % 2 == 0));
            }
            Path train = dir.resolve("apo.jsonl");
            Files.write(train, lines);
            Path output = dir.resolve("apo");
            Path cfg =
                    lmConfig(
                            "{train: " + train + ", max_length: 64, batch_size: 4}",
                            "{type: apo_zero_unpaired}",
                            output,
                            2);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            List<Double> l = losses(output.resolve("metrics.jsonl"));
            // step 1: policy == reference: sigma(0) = 0.5 for desirable and undesirable alike
            assertEquals(0.5, l.get(0), 1e-4);
            assertTrue(Double.isFinite(l.get(1)), l.toString());
        }

        @Test
        void bcoWithUdmResumesExactlyAndWeightsTheUndesirableLosses() throws IOException {
            // BCO keeps its running reward mean (saved with checkpoints) and, with udm, a density
            // ratio classifier refitted from the same seeded prompt sample on resume
            Random r = new Random(11);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                boolean good = i % 3 != 0; // unequal classes
                lines.add(
                        String.format(
                                "{\"prompt\": \"%s question %d?\", \"completion\": \"%s\","
                                        + " \"label\": %b}",
                                good ? WORDS[0] : WORDS[4], i, WORDS[r.nextInt(6)], good));
            }
            Path train = dir.resolve("bco.jsonl");
            Files.write(train, lines);
            String common =
                    "data: {train: "
                            + train
                            + ", max_length: 64, batch_size: 3}\n"
                            + "model: {path: "
                            + Fixtures.hf("llama-lm")
                            + ", tokenizer: "
                            + Fixtures.hf("tokenizer")
                            + "}\n"
                            + "objective: {type: bco, udm: true, prompt_sample_size: 8}\n"
                            + "optim: {lr: 2.0e-3}\n"
                            + "schedule: {type: constant}\n";
            Path straight = dir.resolve("bco-straight");
            Files.writeString(
                    dir.resolve("a.yaml"),
                    common
                            + "train: {max_steps: 4, log_every: 1, output_dir: "
                            + straight
                            + "}\ncheckpoint: {every: 0}\n");
            assertEquals(
                    0, run("train", "--config", dir.resolve("a.yaml").toString()), err.toString());
            Path split = dir.resolve("bco-split");
            Files.writeString(
                    dir.resolve("b.yaml"),
                    common
                            + "train: {max_steps: 4, log_every: 1, output_dir: "
                            + split
                            + "}\ncheckpoint: {every: 2}\n");
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            dir.resolve("b.yaml").toString(),
                            "--set",
                            "train.max_steps=2"),
                    err.toString());
            assertEquals(
                    0,
                    run("train", "--config", dir.resolve("b.yaml").toString(), "--resume=force"),
                    err.toString());
            assertTrue(
                    err.toString()
                            .contains("resuming from " + split.resolve("checkpoints/checkpoint-2")),
                    out.toString());
            List<Double> a = losses(straight.resolve("metrics.jsonl"));
            List<Double> b = losses(split.resolve("metrics.jsonl"));
            assertEquals(0, maxLossDiff(a, b, 4), 1e-6, "straight " + a + " vs resumed " + b);
            // step 1 at the reference: every reward is 0, so each loss is log 2 times its UDM
            // weight (1 desirable, in [0.5, 10] undesirable); without udm it is exactly log 2
            double ln2 = Math.log(2);
            assertTrue(a.get(0) >= 0.5 * ln2 - 1e-6 && a.get(0) <= 10 * ln2, a.toString());
            assertTrue(Math.abs(a.get(0) - ln2) > 1e-6, "udm weights apply: " + a);
        }

        @Test
        void evaluatesWhenTheLastHeldOutChunkWouldHoldOneExample() throws IOException {
            // 5 held-out rows in chunks of 4: the trailing row joins the previous chunk (an
            // unpaired batch needs >= 2)
            Path eval = dir.resolve("eval.jsonl");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                lines.add(
                        String.format(
                                "{\"prompt\": \"q %d?\", \"completion\": \"%s\", \"label\": %b}",
                                i, WORDS[i], i % 2 == 0));
            }
            Files.write(eval, lines);
            Path cfg =
                    lmConfig(
                            "{train: "
                                    + eval
                                    + ", eval: "
                                    + eval
                                    + ", format: kto, max_length: 64, batch_size: 2,"
                                    + " eval_batch_size: 4}",
                            "{type: kto}",
                            dir.resolve("kto-eval"),
                            1);
            assertEquals(0, run("train", "--config", cfg.toString()), err.toString());
            assertTrue(out.toString().contains("final eval:"), out.toString());
        }
    }

    @Nested
    class Errors {
        @Test
        void aDivergingRunExitsWithThreeAndKeepsTheLastCheckpoint() throws IOException {
            Path output = dir.resolve("nan");
            Path cfg = config(rmYaml(prefs("t.jsonl", 16, 1), prefs("e.jsonl", 4, 2), output));
            int code =
                    run(
                            "train",
                            "--config",
                            cfg.toString(),
                            "--set",
                            "optim.lr=1.0e30",
                            "--set",
                            "optim.max_grad_norm=0",
                            "--set",
                            "checkpoint.every=1",
                            "--set",
                            "schedule.type=constant");
            assertEquals(3, code, out + "\n" + err);
            assertTrue(
                    err.toString().contains("reward4j train: train: non-finite"), err.toString());
            assertFalse(err.toString().contains("\tat "), "no stack trace without --debug");
            assertTrue(err.toString().contains("checkpoint-1"), err.toString());
            List<Path> left =
                    new dev.reward4j.trainers.checkpoint.Checkpointer(
                                    output.resolve("checkpoints"), 2)
                            .list();
            assertTrue(
                    !left.isEmpty()
                            && Files.exists(left.get(left.size() - 1).resolve("model.safetensors")),
                    left.toString());
        }

        @Test
        void aConfigurationErrorExitsWithTwoAndNamesTheKeyBeforeTraining() throws IOException {
            Path cfg =
                    config(
                            rmYaml(
                                    prefs("t.jsonl", 4, 1),
                                    prefs("e.jsonl", 4, 2),
                                    dir.resolve("x")));
            assertEquals(
                    2,
                    run(
                            "train",
                            "--config",
                            cfg.toString(),
                            "--set",
                            "objective.type=dpo",
                            "--set",
                            "objective.beta=-1"));
            assertEquals(
                    "reward4j train: objective.beta: expected a number > 0 (got -1)",
                    err.toString().trim());
            assertTrue(Files.notExists(dir.resolve("x")));
        }

        @Test
        void anUnknownOptionIsRejectedWithTheAcceptedOnes() throws IOException {
            Path cfg =
                    config(
                            rmYaml(
                                    prefs("t.jsonl", 4, 1),
                                    prefs("e.jsonl", 4, 2),
                                    dir.resolve("x")));
            assertEquals(2, run("train", "--config", cfg.toString(), "--max-steps", "3"));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j train: unknown option '--max-steps'; expected one of"
                                            + " [--config, --debug, --device, --help, --progress,"
                                            + " --resume, --set, --version]"),
                    err.toString());
            assertTrue(Files.notExists(dir.resolve("x")));
            err.reset();
            assertEquals(
                    2,
                    run(
                            "score",
                            "--model",
                            "m",
                            "--input",
                            "i",
                            "--output",
                            "o",
                            "--bach-size",
                            "4"));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j score: unknown option '--bach-size'; expected one of"
                                            + " [--aggregate, --batch-size, --debug, --device,"
                                            + " --help, --input, --max-length, --model, --output,"
                                            + " --reference, --step-aggregation, --tokenizer,"
                                            + " --truncation, --version]"),
                    err.toString());
            err.reset();
            assertEquals(2, run("eval", "--model", "m", "--data", "d", "--input", "x"));
            assertTrue(
                    err.toString().contains("reward4j eval: unknown option '--input'"),
                    err.toString());
            err.reset();
            assertEquals(2, run("eval", "--data", "x"));
            assertTrue(
                    err.toString()
                            .contains("reward4j eval: Missing required option: '--model=DIR'"),
                    err.toString());
        }

        @Test
        void anUnknownCommandPrintsUsage() {
            assertEquals(2, run("fit"));
            assertTrue(
                    err.toString()
                            .contains(
                                    "reward4j: unknown command 'fit'; expected one of [train, eval,"
                                            + " score, demo, experiment, init, doctor, diagnose,"
                                            + " ensemble, personalize, spark, completion, help]"),
                    err.toString());
        }
    }

    @Nested
    class Examples {
        @Test
        void theShippedSampleConfigsParse() throws IOException {
            ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
            for (String name : List.of("rm.yaml", "dpo.yaml")) {
                Path p = dir.resolve(name);
                try (InputStream in = Reward4j.class.getResourceAsStream("/examples/" + name)) {
                    Files.copy(in, p);
                }
                RunConfig c = loader.load(p, List.of());
                assertTrue(c.train().maxSteps() > 0, name);
                if (name.equals("dpo.yaml")) {
                    assertTrue(
                            c.objective() instanceof ObjectiveConfig.PolicyPairs,
                            c.objective().toString());
                }
                if (name.equals(
                        "rm.yaml")) { // the documented, commented-out packing line is valid once
                    // uncommented
                    String text = Files.readString(p);
                    assertTrue(text.contains("\n  # packing: false "), text);
                    Files.writeString(
                            p, text.replace("\n  # packing: false ", "\n  packing: true    "));
                    assertTrue(loader.load(p, List.of()).data().packing());
                }
            }
        }
    }
}
