package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.synth.PopulationPreferences;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthUserPair;
import dev.reward4j.trainers.metrics.AdjustedRandIndex;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pluralistic demonstration through the launcher: on two user groups with opposite preferences
 * on one attribute ({@code core}'s {@link PopulationPreferences}), {@code reward4j train} with
 * {@code maxmin} recovers the groups from the users' comparisons (adjusted Rand index of {@code
 * user-clusters.json} >= 0.9) and {@code maxmin} and {@code pal} models scored by {@code reward4j
 * score} with each pair's {@code user_id} beat a {@code bt} model trained the same way by at least
 * 20 points of per-user held-out accuracy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluralisticDemonstrationRunTest {
    static final int USERS = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    LauncherRuns runs;
    Path base;
    Path tokenizer;
    Path train;
    Path test;
    Path newShots;
    Path newTest;
    Path bt;
    double btAccuracy;

    Path rows(String name, List<SynthUserPair> pairs) throws IOException {
        List<String> lines = new ArrayList<>();
        for (SynthUserPair p : pairs) {
            lines.add(
                    JSON.createObjectNode()
                            .put("prompt", p.prompt())
                            .put("chosen", p.chosen())
                            .put("rejected", p.rejected())
                            .put("user_id", p.userId())
                            .toString());
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    @BeforeAll
    void data(@TempDir Path tmp) throws IOException {
        dir = tmp;
        PopulationPreferences gen = PopulationPreferences.defaults(11);
        train = rows("train.jsonl", gen.pairs(Split.TRAIN, 0, USERS, 64));
        test = rows("test.jsonl", gen.pairs(Split.HELD_OUT, 0, USERS, 40));
        List<SynthUserPair> shots = new ArrayList<>();
        List<SynthUserPair> later = new ArrayList<>();
        for (int u = USERS; u < USERS + 10; u++) {
            shots.addAll(gen.pairsOf(Split.TRAIN, u, 0, 16));
            later.addAll(gen.pairsOf(Split.HELD_OUT, u, 0, 40));
        }
        newShots = rows("new-shots.jsonl", shots);
        newTest = rows("new-test.jsonl", later);
        tokenizer = dir.resolve("tokenizer");
        base = dir.resolve("base");
        try (SynthText text = SynthText.of(tokenizer, gen.vocabulary());
                DecoderModel model = TinyTraining.tiny(text.vocabSize(), ModelHead.LM, 3)) {
            // a causal LM, as users start: every reward objective creates its own fresh head
            model.save(base, text.dir());
        }
        runs = new LauncherRuns(dir);
        bt = trained("{type: bt}", 300, "bt");
        btAccuracy = perUserAccuracy(bt, test);
    }

    /** Trains {@code objective} for {@code steps} steps; the final model. */
    Path trained(String objective, int steps, String name) throws IOException {
        Path cfg = dir.resolve(name + ".yaml");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "model: {path: " + base + ", tokenizer: " + tokenizer + "}",
                        "data: {train: " + train + ", max_length: 64, batch_size: 32}",
                        "objective: " + objective,
                        "optim: {lr: 3.0e-3}",
                        "schedule: {type: cosine, warmup_steps: 10}",
                        "train: {max_steps: "
                                + steps
                                + ", log_every: 50, output_dir: "
                                + dir.resolve(name)
                                + "}",
                        "checkpoint: {every: 0}",
                        ""));
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err.toString());
        return dir.resolve(name).resolve("final");
    }

    /** Mean over users of the held-out accuracy of {@code score}'s probabilities. */
    double perUserAccuracy(Path model, Path rows) throws IOException {
        Path out = dir.resolve("scored-" + System.nanoTime() + ".jsonl");
        assertEquals(
                0,
                runs.run(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        rows.toString(),
                        "--output",
                        out.toString()),
                runs.err.toString());
        Map<String, double[]> byUser = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode row = JSON.readTree(line);
            double[] c = byUser.computeIfAbsent(row.path("user_id").asText(), u -> new double[2]);
            c[0] += row.path("preference_probability").asDouble() > 0.5 ? 1 : 0;
            c[1]++;
        }
        return byUser.values().stream().mapToDouble(c -> c[0] / c[1]).average().orElseThrow();
    }

    /** Runs {@code reward4j personalize} on the new users' shots; the personalised model. */
    Path personalized(Path model, String name) throws IOException {
        Path personal = dir.resolve(name);
        assertEquals(
                0,
                runs.run(
                        "personalize",
                        "--model",
                        model.toString(),
                        "--shots",
                        newShots.toString(),
                        "--output",
                        personal.toString()),
                runs.err.toString());
        return personal;
    }

    @Test
    void maxminRecoversTheGroupsAndBeatsBradleyTerryPerUser() throws IOException {
        Path model = trained("{type: maxmin, clusters: 2, round_steps: 150}", 600, "maxmin");
        JsonNode users = JSON.readTree(model.resolve("user-clusters.json").toFile()).path("users");
        int[] found = new int[USERS];
        int[] truth = new int[USERS];
        for (int u = 0; u < USERS; u++) {
            found[u] = users.path(PopulationPreferences.userId(u)).asInt(-1);
            truth[u] = PopulationPreferences.group(u);
        }
        double ari = AdjustedRandIndex.of(found, truth);
        double accuracy = perUserAccuracy(model, test);
        System.out.printf(
                "pluralistic (launcher): maxmin ARI %.4f, per-user accuracy %.4f; bt %.4f%n",
                ari, accuracy, btAccuracy);
        assertTrue(ari >= 0.9, "ARI " + ari);
        assertTrue(accuracy >= btAccuracy + 0.20, "maxmin " + accuracy + " vs bt " + btAccuracy);
    }

    @Test
    void palBeatsBradleyTerryPerUserAndPersonalizesNewUsersFromSixteenShots() throws IOException {
        Path model = trained("{type: pal, prototypes: 2, dims: 4}", 300, "pal");
        double accuracy = perUserAccuracy(model, test);
        Path personal = personalized(model, "pal-personal");
        double fresh = perUserAccuracy(personal, newTest);
        double btFresh = perUserAccuracy(bt, newTest);
        System.out.printf(
                "pluralistic (launcher): pal per-user accuracy %.4f, new users %.4f (16 shots);"
                        + " bt %.4f / %.4f%n",
                accuracy, fresh, btAccuracy, btFresh);
        assertTrue(accuracy >= btAccuracy + 0.20, "pal " + accuracy + " vs bt " + btAccuracy);
        assertTrue(fresh >= btFresh + 0.20, "pal new users " + fresh + " vs bt " + btFresh);
        // the trained users are unchanged in the personalised copy
        assertEquals(accuracy, perUserAccuracy(personal, test), 0);
        // known users are refused, and so is an existing output directory
        assertEquals(
                2,
                runs.run(
                        "personalize",
                        "--model",
                        model.toString(),
                        "--shots",
                        test.toString(),
                        "--output",
                        dir.resolve("again").toString()));
        assertTrue(runs.err.toString().contains("already in the model"), runs.err.toString());
        assertEquals(
                2,
                runs.run(
                        "personalize",
                        "--model",
                        model.toString(),
                        "--shots",
                        newShots.toString(),
                        "--output",
                        personal.toString()));
        assertTrue(runs.err.toString().contains("exists"), runs.err.toString());
    }

    @Test
    void userRoutedMixtureBeatsBradleyTerryPerUserAndPersonalizesNewUsers() throws IOException {
        // the router and the heads need longer than the single-head models (900 steps)
        Path model = trained("{type: mixture, heads: 2, user_routing: true}", 900, "mixture");
        assertTrue(
                Files.isRegularFile(model.resolve("mixture.user_bias.safetensors")),
                "no routing biases in " + model);
        double accuracy = perUserAccuracy(model, test);
        Path personal = personalized(model, "mixture-personal");
        double fresh = perUserAccuracy(personal, newTest);
        double btFresh = perUserAccuracy(bt, newTest);
        System.out.printf(
                "pluralistic (launcher): user-routed mixture per-user accuracy %.4f, new users"
                        + " %.4f (16 shots); bt %.4f / %.4f%n",
                accuracy, fresh, btAccuracy, btFresh);
        assertTrue(accuracy >= btAccuracy + 0.20, "mixture " + accuracy + " vs bt " + btAccuracy);
        assertTrue(fresh >= btFresh + 0.20, "mixture new users " + fresh + " vs bt " + btFresh);
    }
}
