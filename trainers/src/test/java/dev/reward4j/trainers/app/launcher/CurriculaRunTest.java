package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curriculum, relabelling and diagnostics sections of a {@code reward4j train} configuration,
 * end to end on the causal-LM fixture: Curry-DPO stages from UltraFeedback rows with the reference
 * refreshed and checkpointed (and an exact resume from it), reward-augmented relabelling of
 * UltraFeedback-binarized rows, the diagnostics metrics and CHES filter, and the configuration
 * errors (exit status 2).
 */
class CurriculaRunTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] GOOD = {"good", "great", "fine", "clear"};
    static final String[] BAD = {"bad", "awful", "poor", "wrong"};

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Raw UltraFeedback rows: 4 completions with 3, 2, 1 or 0 good words (score = count). */
    Path ultraFeedback(int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Map<String, Object>> completions = new ArrayList<>();
            for (int good = 3; good >= 0; good--) {
                List<String> words = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    words.add(k < good ? GOOD[r.nextInt(4)] : BAD[r.nextInt(4)]);
                }
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("model", "m" + good);
                c.put("response", " the answer is " + String.join(" ", words));
                c.put("fine-grained_score", (double) good);
                c.put("overall_score", 2.5 * good);
                completions.add(c);
            }
            java.util.Collections.shuffle(completions, r);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", "u" + i);
            row.put("instruction", "question " + i + " is what?");
            row.put("completions", completions);
            lines.add(JSON.writeValueAsString(row));
        }
        Path p = dir.resolve("ultrafeedback-" + seed + ".jsonl");
        Files.write(p, lines);
        return p;
    }

    Path config(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        List<String> all = new ArrayList<>();
        all.add(
                "model: {path: "
                        + Fixtures.hf("llama-lm")
                        + ", tokenizer: "
                        + Fixtures.hf("tokenizer")
                        + "}");
        all.addAll(List.of(lines));
        all.add("");
        Files.writeString(p, String.join("\n", all));
        return p;
    }

    static List<JsonNode> records(Path metrics, String phase) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(metrics)) {
            JsonNode n = JSON.readTree(l);
            if (n.get("phase").asText().equals(phase)) {
                out.add(n);
            }
        }
        return out;
    }

    static Map<String, float[]> weights(Path modelDir) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (DecoderModel m = DecoderModel.load(modelDir, ModelHead.LM, ModelOptions.defaults())) {
            m.parameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        }
        return out;
    }

    @Nested
    class Curry {
        String[] curry(Path train, Path output, int every) {
            return new String[] {
                "data: {train: "
                        + train
                        + ", format: ultrafeedback-ranked, max_length: 64,"
                        + " batch_size: 2}",
                "objective: {type: dpo, beta: 0.5}",
                "curriculum: {type: curry, stages: 2}",
                "optim: {lr: 5.0e-3}",
                "schedule: {type: constant}",
                "train: {max_steps: 4, log_every: 1, output_dir: " + output + "}",
                "checkpoint: {every: " + every + ", keep_last: 10}"
            };
        }

        @Test
        void stagesRunInOrderAndACheckpointHoldsTheReferenceOfItsStage() throws IOException {
            Path train = ultraFeedback(6, 1);
            Path output = dir.resolve("curry");
            assertEquals(
                    0,
                    run("train", "--config", config("c.yaml", curry(train, output, 1)).toString()),
                    err.toString());
            List<Double> stages = new ArrayList<>();
            for (JsonNode r : records(output.resolve("metrics.jsonl"), "train")) {
                stages.add(r.get("values").get("curriculum/stage").asDouble());
            }
            assertEquals(List.of(0.0, 0.0, 1.0, 1.0), stages);
            // 3 pairs per prompt over 2 stages: ranks 0 and 1 in stage 1, rank 2 in stage 2
            String log = out.toString() + err;
            assertTrue(log.contains("curriculum stage 1 of 2: 12 pairs, steps 1..2"), log);
            assertTrue(log.contains("curriculum stage 2 of 2: 6 pairs, steps 3..4"), log);
            Path checkpoints = output.resolve("checkpoints");
            assertFalse(Files.exists(checkpoints.resolve("checkpoint-2/reference")));
            // the reference of stage 2 is the policy at the end of stage 1 (step 2)
            Map<String, float[]> policyAt2 = weights(checkpoints.resolve("checkpoint-2"));
            for (String step : List.of("checkpoint-3", "checkpoint-4")) {
                Map<String, float[]> ref = weights(checkpoints.resolve(step).resolve("reference"));
                for (String k : policyAt2.keySet()) {
                    assertArrayEquals(policyAt2.get(k), ref.get(k), step + " " + k);
                }
            }
        }

        @Test
        void aRunResumedInTheSecondStageEndsExactlyWhereTheStraightRunEnds() throws IOException {
            Path train = ultraFeedback(6, 2);
            Path straight = dir.resolve("straight");
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            config("a.yaml", curry(train, straight, 1)).toString()),
                    err.toString());
            // an interrupted run: the run directory as it was after the checkpoint of step 3 (stage
            // 2,
            // refreshed reference), without the later checkpoint, the final model and the summary
            Path resumed = dir.resolve("resumed");
            try (var files = Files.walk(straight)) {
                for (Path p : files.toList()) {
                    String rel = straight.relativize(p).toString().replace('\\', '/');
                    if (rel.startsWith("checkpoints/checkpoint-4")
                            || rel.startsWith("final")
                            || rel.equals("summary.json")
                            || rel.startsWith("report")) {
                        continue;
                    }
                    Path target = resumed.resolve(rel);
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            // metrics up to the checkpoint's step
            List<String> kept = new ArrayList<>();
            for (String l : Files.readAllLines(resumed.resolve("metrics.jsonl"))) {
                if (JSON.readTree(l).get("step").asInt() <= 3) {
                    kept.add(l);
                }
            }
            Files.write(resumed.resolve("metrics.jsonl"), kept);
            Path to = resumed.resolve("checkpoints/checkpoint-3");
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            config("b.yaml", curry(train, resumed, 1)).toString(),
                            "--resume=force"),
                    err.toString());
            assertTrue(
                    (out.toString() + err).contains("resuming from " + to), out.toString() + err);
            double a =
                    records(straight.resolve("metrics.jsonl"), "train")
                            .get(3)
                            .get("values")
                            .get("loss")
                            .asDouble();
            List<JsonNode> b = records(resumed.resolve("metrics.jsonl"), "train");
            assertEquals(4, b.get(b.size() - 1).get("step").asInt());
            assertEquals(a, b.get(b.size() - 1).get("values").get("loss").asDouble(), 1e-6);
            Map<String, float[]> wa = weights(straight.resolve("final"));
            Map<String, float[]> wb = weights(resumed.resolve("final"));
            for (String k : wa.keySet()) {
                assertArrayEquals(wa.get(k), wb.get(k), 1e-6f, k);
            }
        }
    }

    @Test
    void rewardAugmentedRelabellingDoublesThePairsOfUltraFeedbackBinarizedRows()
            throws IOException {
        Path data = Reward4jTest.coreData("ultrafeedback-binarized.jsonl");
        long rows = Files.readAllLines(data).stream().filter(l -> !l.isBlank()).count();
        Path output = dir.resolve("relabel");
        assertEquals(
                0,
                run(
                        "train",
                        "--config",
                        config(
                                        "r.yaml",
                                        "data: {train: "
                                                + data
                                                + ", format: ultrafeedback-binarized,"
                                                + " max_length: 128, batch_size: 2}",
                                        "objective: {type: dpo}",
                                        "relabel: {type: reward-augmented}",
                                        "train: {max_steps: 2, log_every: 1, output_dir: "
                                                + output
                                                + "}",
                                        "checkpoint: {every: 0}")
                                .toString()),
                err.toString());
        String summary = Files.readString(output.resolve("summary.json"));
        assertEquals(2 * rows, Reward4jTest.counter(summary, "kept"), summary);
    }

    @Test
    void diagnosticsAreLoggedAndTheChesFilterDropsItsShareOfTheTrainingPairs() throws IOException {
        Path train = ultraFeedback(4, 3);
        Path output = dir.resolve("diag");
        assertEquals(
                0,
                run(
                        "train",
                        "--config",
                        config(
                                        "d.yaml",
                                        "data: {train: "
                                                + train
                                                + ", eval: "
                                                + train
                                                + ", format: ultrafeedback-best-vs-rest,"
                                                + " max_length: 64, batch_size: 4}",
                                        "objective: {type: dpo}",
                                        "diagnostics: {enabled: true, top_k: 5, ches_filter:"
                                                + " 0.25}",
                                        "train: {max_steps: 2, log_every: 1, eval_every: 1,"
                                                + " output_dir: "
                                                + output
                                                + "}",
                                        "checkpoint: {every: 0}")
                                .toString()),
                err.toString());
        // 4 rows x 3 pairs; floor(0.25 x 12) = 3 dropped
        assertTrue(
                (out.toString() + err).contains("ches_filter 0.25 drops 3 of 12 training pairs"),
                out.toString() + err);
        assertEquals(
                3,
                Reward4jTest.counter(
                        Files.readString(output.resolve("summary.json")), "chesFiltered"));
        for (String phase : List.of("train", "eval")) {
            JsonNode last = records(output.resolve("metrics.jsonl"), phase).get(1).get("values");
            for (String k :
                    List.of(
                            "diagnostics/ches",
                            "diagnostics/ches_ln",
                            "diagnostics/topk_entropy",
                            "diagnostics/topk_mass",
                            "diagnostics/idealized_ranking_accuracy",
                            "diagnostics/alignment_gap",
                            "diagnostics/logps_chosen_change",
                            "diagnostics/logps_margin_change",
                            "diagnostics/likelihood_displacement")) {
                assertTrue(last.has(k), phase + " " + k + " in " + last);
            }
        }
    }

    @Test
    void theSectionsAreCheckedBeforeTraining() throws IOException {
        Path train = ultraFeedback(2, 4);
        String data = "data: {train: " + train + ", format: ultrafeedback-ranked}";
        String[][] cases = {
            {"objective: {type: simpo}", "curriculum: {type: curry}", "curriculum.type"},
            {"objective: {type: bt}", "diagnostics: {enabled: true}", "diagnostics.enabled"},
            {"objective: {type: dpo}", "curriculum: {type: curry, stages: 5}", "curriculum.stages"},
            {"objective: {type: dpo}", "curriculum: {type: nope}", "curriculum.type"},
            {
                "objective: {type: dpo}",
                "diagnostics: {preference_probability: 2}",
                "diagnostics.preference_probability"
            },
        };
        for (String[] c : cases) {
            err.reset();
            Path cfg =
                    config(
                            "bad.yaml",
                            data,
                            c[0],
                            c[1],
                            "train: {max_steps: 4, output_dir: " + dir.resolve("x") + "}");
            assertEquals(2, run("train", "--config", cfg.toString()), String.join(" ", c));
            assertTrue(err.toString().contains(": " + c[2]), c[2] + ": " + err);
        }
        err.reset();
        Path trl =
                config(
                        "trl.yaml",
                        "data: {train: "
                                + Reward4jTest.coreData("trl-standard.jsonl")
                                + ", format: trl}",
                        "objective: {type: dpo}",
                        "curriculum: {type: curry}",
                        "train: {max_steps: 3, output_dir: " + dir.resolve("y") + "}");
        assertEquals(2, run("train", "--config", trl.toString()));
        assertTrue(err.toString().contains("data.format: curriculum.type curry"), err.toString());
    }

    @Nested
    class Supervised {
        @Test
        void chainOfHindsightTrainsOnPairsWithTheFeedbackMaskedFromTheLoss() throws IOException {
            Path data = Reward4jTest.coreData("trl-standard.jsonl");
            Path output = dir.resolve("coh");
            assertEquals(
                    0,
                    run(
                            "train",
                            "--config",
                            config(
                                            "h.yaml",
                                            "data: {train: "
                                                    + data
                                                    + ", eval: "
                                                    + data
                                                    + ", max_length: 96, batch_size: 2}",
                                            "objective: {type: chain-of-hindsight, order:"
                                                    + " good-first}",
                                            "optim: {lr: 1.0e-3}",
                                            "train: {max_steps: 3, log_every: 1, output_dir: "
                                                    + output
                                                    + "}",
                                            "checkpoint: {every: 0}")
                                    .toString()),
                    err.toString());
            List<JsonNode> train = records(output.resolve("metrics.jsonl"), "train");
            assertEquals(3, train.size());
            JsonNode first = train.get(0).get("values");
            assertTrue(first.has("nll"), first.toString());
            // all weights are 1: the loss is the per-token NLL of the responses
            assertEquals(first.get("loss").asDouble(), first.get("nll").asDouble(), 1e-5);
            assertTrue(
                    records(output.resolve("metrics.jsonl"), "eval")
                            .get(0)
                            .get("values")
                            .has("nll"));
        }

        Path classLabeled(String... classes) throws IOException {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                lines.add(
                        JSON.writeValueAsString(
                                Map.of(
                                        "prompt",
                                        "question " + i + " is what?",
                                        "completion",
                                        " the answer is " + GOOD[i % 4],
                                        "source",
                                        classes[i])));
            }
            Path p = dir.resolve("classes.jsonl");
            Files.write(p, lines);
            return p;
        }

        String[] crlft(Path data, Path output) {
            return new String[] {
                "data: {train: " + data + ", max_length: 64, batch_size: 2}",
                "objective: {type: c-rlft, class_field: source, classes: [{name: gpt4, tag: 'GPT4"
                        + " Correct ', reward: 1.0}, {name: gpt3, tag: 'GPT3 ', reward: 0.1}]}",
                "optim: {lr: 1.0e-3}",
                "train: {max_steps: 2, log_every: 1, output_dir: " + output + "}",
                "checkpoint: {every: 0}"
            };
        }

        @Test
        void cRlftTrainsOnClassLabelledRowsWithTheClassRewardsAsWeights() throws IOException {
            Path data = classLabeled("gpt4", "gpt3", "gpt3", "gpt3");
            Path output = dir.resolve("crlft");
            assertEquals(
                    0,
                    run("train", "--config", config("c.yaml", crlft(data, output)).toString()),
                    err.toString());
            JsonNode first = records(output.resolve("metrics.jsonl"), "train").get(0).get("values");
            // weighted below the unweighted NLL: most tokens have weight 0.1
            assertTrue(
                    first.get("loss").asDouble() < first.get("nll").asDouble(), first.toString());
            Path bad = classLabeled("gpt4", "llama");
            err.reset();
            assertEquals(
                    2,
                    run(
                            "train",
                            "--config",
                            config("bad.yaml", crlft(bad, dir.resolve("bad"))).toString()));
            assertTrue(
                    err.toString().contains("classes.jsonl:2")
                            && err.toString().contains("[gpt4, gpt3]"),
                    err.toString());
        }
    }

    @Test
    void theSampleDpoConfigDocumentsTheDiagnosticsAndCurriculumKeys() throws IOException {
        Path p = dir.resolve("dpo.yaml");
        try (var in = Reward4j.class.getResourceAsStream("/examples/dpo.yaml")) {
            Files.copy(in, p);
        }
        var loader =
                new dev.reward4j.trainers.config.ConfigLoader(
                        dev.reward4j.trainers.config.StandardObjectives.catalog());
        String text = Files.readString(p);
        String diagnostics =
                text.replace("# diagnostics:", "diagnostics: ")
                        .replace("#   enabled: true", "  enabled: true")
                        .replace("#   ches_filter: 0.1", "  ches_filter: 0.1");
        Files.writeString(p, diagnostics);
        var d = loader.load(p, List.of()).diagnostics();
        assertTrue(d.enabled() && d.chesFilter() == 0.1, d.toString());
        String curriculum =
                text.replace("# curriculum:", "curriculum: ")
                        .replace("#   type: curry", "  type: curry")
                        .replace("#   stages: 3", "  stages: 3")
                        .replace("format: auto", "format: ultrafeedback-ranked")
                        .replace("reference_cache: runs/dpo/ref", "reference_cache: null");
        Files.writeString(p, curriculum);
        var c = loader.load(p, List.of());
        assertTrue(c.curriculum().enabled() && c.curriculum().stages() == 3, c.toString());
    }

    @Test
    void theJavaFrontDoorSetsTheSameKeys() throws IOException {
        Path train = ultraFeedback(2, 6);
        var cfg =
                dev.reward4j.trainers.Training.model(Fixtures.hf("llama-lm"))
                        .data(train)
                        .objective(dev.reward4j.losses.PairwisePolicyObjective.Dpo.defaults())
                        .curryCurriculum(2)
                        .diagnostics(true)
                        .steps(4)
                        .config();
        assertEquals(2, cfg.curriculum().stages());
        assertTrue(cfg.diagnostics().enabled());
        assertEquals(
                dev.reward4j.trainers.config.DataFormat.ULTRAFEEDBACK_RANKED, cfg.dataFormat());
        var relabelled =
                dev.reward4j.trainers.Training.model(Fixtures.hf("llama-lm"))
                        .data(Reward4jTest.coreData("ultrafeedback-binarized.jsonl"))
                        .objective(dev.reward4j.losses.PairwisePolicyObjective.Dpo.defaults())
                        .rewardAugmented()
                        .chesFilter(0.1)
                        .config();
        assertTrue(relabelled.relabel().enabled());
        assertEquals(0.1, relabelled.diagnostics().chesFilter());
    }
}
