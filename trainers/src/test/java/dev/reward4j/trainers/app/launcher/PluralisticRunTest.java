package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.data.UserPairCollator;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.pluralistic.IdealPointScorer;
import dev.reward4j.trainers.run.TrainRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-user reward models the launcher trains: MaxMin-RLHF's EM over user clusters ({@code
 * maxmin}) and PAL-A ideal points ({@code pal}), on pairs with a {@code user_id}. Each writes its
 * head layout and per-user state into every checkpoint and the final model, and a run resumed from
 * a checkpoint repeats the uninterrupted one (the EM assignment and the PAL parameters are
 * restored, not re-initialised).
 */
class PluralisticRunTest {
    @TempDir Path dir;

    LauncherRuns runs;

    @BeforeEach
    void setUp() {
        runs = new LauncherRuns(dir);
    }

    /** Users u0..u3: u0 and u1 prefer the first word, u2 and u3 the second. */
    Path userPairs() throws IOException {
        return runs.rows(
                "users.jsonl",
                16,
                i -> {
                    String user = "u" + (i % 4);
                    boolean first = i % 4 < 2;
                    String a = LauncherRuns.WORDS[i % 3];
                    String b = LauncherRuns.WORDS[3 + i % 3];
                    return String.format(
                            Locale.ROOT,
                            "{\"prompt\": \"question %d?\", \"chosen\": \"%s\", \"rejected\":"
                                    + " \"%s\", \"user_id\": \"%s\"}",
                            i,
                            first ? a : b,
                            first ? b : a,
                            user);
                });
    }

    /**
     * A constant-schedule run of {@code objective}, four steps, checkpoints every {@code every}.
     */
    Path config(Path train, Path output, String objective, int every) throws IOException {
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
                        "objective: " + objective,
                        "optim: {lr: 2.0e-3}",
                        "schedule: {type: constant, warmup_steps: 1}",
                        "train: {max_steps: 4, log_every: 1, output_dir: " + output + "}",
                        "checkpoint: {every: " + every + "}",
                        ""));
        return cfg;
    }

    /**
     * Runs four steps straight and {@code split} + resume + the rest; returns the straight run's
     * directory.
     */
    Path resumesAsTheUninterruptedRun(String objective, String file, int split) throws IOException {
        Path train = userPairs();
        Path straight = dir.resolve("straight");
        assertEquals(
                0,
                runs.run("train", "--config", config(train, straight, objective, split).toString()),
                runs.err.toString());
        Path splitRun = dir.resolve("split");
        Path cfg = config(train, splitRun, objective, split);
        assertEquals(
                0,
                runs.run("train", "--config", cfg.toString(), "--set", "train.max_steps=" + split),
                runs.err.toString());
        Path checkpoint = splitRun.resolve("checkpoints/checkpoint-" + split);
        assertTrue(Files.isRegularFile(checkpoint.resolve(file)), "no " + file + " in checkpoint");
        assertTrue(Files.isRegularFile(checkpoint.resolve(HeadLayout.FILE)), "no head layout");
        assertEquals(
                0,
                runs.run("train", "--config", cfg.toString(), "--resume=force"),
                runs.err.toString());
        List<Double> a = Reward4jTest.losses(straight.resolve("metrics.jsonl"));
        List<Double> b = Reward4jTest.losses(splitRun.resolve("metrics.jsonl"));
        assertEquals(0, Reward4jTest.maxLossDiff(a, b, 4), 1e-6, a + " vs " + b);
        Path model = straight.resolve("final");
        assertTrue(Files.isRegularFile(model.resolve(file)), "no " + file + " in " + model);
        return straight;
    }

    @Test
    void maxminRunsEStepsEveryRoundAndResumesWithTheAssignment() throws IOException {
        Path run =
                resumesAsTheUninterruptedRun(
                        "{type: maxmin, clusters: 2, round_steps: 2}",
                        HeadLayout.UserClusters.USERS_FILE,
                        3);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> train = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("phase").asText().equals("train")) {
                train.add(n.path("values"));
            }
        }
        // round_steps 2: one E-step, before step 3; it moved users, so the resumed step 4 (from
        // checkpoint 3) matches only when the assignment is restored, not re-drawn from the seed
        for (int i = 0; i < 4; i++) {
            assertEquals(i == 2, train.get(i).has("users_moved"), train.get(i).toString());
        }
        assertTrue(train.get(2).path("users_moved").asDouble() > 0, train.get(2).toString());
        JsonNode clusters =
                json.readTree(run.resolve("final").resolve("user-clusters.json").toFile());
        assertEquals(2, clusters.path("clusters").asInt());
        for (int u = 0; u < 4; u++) {
            int c = clusters.path("users").path("u" + u).asInt(-9);
            assertTrue(c == 0 || c == 1, clusters.toString());
        }
        assertEquals(
                new HeadLayout.UserClusters(2),
                HeadLayout.read(run.resolve("final")).orElseThrow());
        assertEquals(
                2,
                json.readTree(run.resolve("final/config.json").toFile())
                        .path("num_labels")
                        .asInt());
        // score: a known user gets its cluster's head, a row without user the smallest head
        List<JsonNode> scored = runs.score(run.resolve("final"), responsesWithAndWithoutUsers());
        for (JsonNode row : scored) {
            JsonNode r = row.path("rewards");
            assertEquals(2, r.size(), row.toString());
            if (row.has("user_id")) {
                int c = clusters.path("users").path(row.path("user_id").asText()).asInt();
                assertEquals(c, row.path("cluster").asInt(), row.toString());
                assertEquals(r.get(c).asDouble(), row.path("reward").asDouble(), 0, row.toString());
            } else {
                assertTrue(!row.has("cluster"), row.toString());
                assertEquals(
                        Math.min(r.get(0).asDouble(), r.get(1).asDouble()),
                        row.path("reward").asDouble(),
                        0,
                        row.toString());
            }
        }
    }

    /** The training pairs as pair rows, and the same rows without user_id. */
    Path withAndWithoutUsers() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("users.jsonl"))) {
            lines.add(line);
            com.fasterxml.jackson.databind.node.ObjectNode o =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            o.remove("user_id");
            lines.add(o.toString());
        }
        Path file = dir.resolve("mixed-users.jsonl");
        Files.write(file, lines);
        return file;
    }

    /** Response rows (each pair's chosen response) with and without user_id. */
    Path responsesWithAndWithoutUsers() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(withAndWithoutUsers())) {
            com.fasterxml.jackson.databind.node.ObjectNode o =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            o.set("response", o.remove("chosen"));
            o.remove("rejected");
            lines.add(o.toString());
        }
        Path file = dir.resolve("mixed-responses.jsonl");
        Files.write(file, lines);
        return file;
    }

    @Test
    void palTrainsPrototypesAndUserWeightsWithTheModelAndResumesThem() throws IOException {
        Path run =
                resumesAsTheUninterruptedRun(
                        "{type: pal, prototypes: 2, dims: 3, tau: 1.0}",
                        "pal-prototypes.safetensors",
                        2);
        assertEquals(
                new HeadLayout.IdealPoints(2, 3, 1.0),
                HeadLayout.read(run.resolve("final")).orElseThrow());
        assertEquals(
                3,
                new ObjectMapper()
                        .readTree(run.resolve("final/config.json").toFile())
                        .path("num_labels")
                        .asInt());
        Path model = run.resolve("final");
        // pairs of known users: the PAL-A probability of the training path's scorer
        double[] expected;
        try (TextEncoder encoder = TextEncoder.load(model);
                DecoderModel m =
                        DecoderModel.load(
                                model,
                                new ScalarHeads(3).modelHead(),
                                ModelOptions.defaults(),
                                model);
                IdealPointParameters params = IdealPointParameters.load(model, m.manager())) {
            List<TokenizedPair> tokenized =
                    DataPipeline.pairs(
                                    dir.resolve("users.jsonl"),
                                    TrlFormat.standard(),
                                    encoder,
                                    DataSection.defaults().truncationPolicy(),
                                    ReadOptions.defaults())
                            .examples();
            try (NDManager sub = m.manager().newSubManager();
                    UserPairBatch batch =
                            new UserPairCollator(TrainRun.padding(encoder), params.users().users())
                                    .collate(tokenized, sub)) {
                expected =
                        new IdealPointScorer(m, new ScalarHeads(3), params, new PalA(1.0))
                                .probability(batch);
            }
        }
        List<JsonNode> scored = runs.score(model, withAndWithoutUsers());
        for (int i = 0; i < scored.size(); i++) {
            JsonNode row = scored.get(i);
            if (i % 2 == 0) {
                assertEquals(
                        expected[i / 2],
                        row.path("preference_probability").asDouble(),
                        1e-5,
                        row.toString());
                assertTrue(row.has("chosen_reward"), row.toString());
            } else {
                // without a user PAL-A has no reward: counted, written as null
                assertTrue(row.path("preference_probability").isNull(), row.toString());
            }
        }
        assertTrue(
                runs.err.toString().contains("16 pairs have no preference probability"),
                runs.err.toString());
        for (JsonNode row : runs.score(model, responsesWithAndWithoutUsers())) {
            assertEquals(3, row.path("embedding").size(), row.toString());
            assertEquals(row.has("user_id"), row.has("reward"), row.toString());
        }
    }

    @Test
    void userRoutedMixtureTrainsRoutingBiasesWithTheModelAndResumesThem() throws IOException {
        Path run =
                resumesAsTheUninterruptedRun(
                        "{type: mixture, heads: 2, user_routing: true}",
                        "mixture.user_bias.safetensors",
                        2);
        assertEquals(
                new HeadLayout.Mixture(2), HeadLayout.read(run.resolve("final")).orElseThrow());
        // a known user's weights include its bias: they differ from a row without user_id
        List<JsonNode> scored = runs.score(run.resolve("final"), responsesWithAndWithoutUsers());
        assertTrue(
                !scored.get(0).path("weights").equals(scored.get(1).path("weights")),
                scored.get(0) + " vs " + scored.get(1));
    }

    @Test
    void aMultiHeadObjectiveFromAOneLabelRewardModelExitsTwoSayingWhatToStartFrom()
            throws IOException {
        Path cfg =
                config(userPairs(), dir.resolve("from-rm"), "{type: maxmin, clusters: 3}", 2)
                        .getParent()
                        .resolve("from-rm.yaml");
        Files.writeString(
                cfg,
                Files.readString(cfg)
                        .replace(
                                Fixtures.hf("llama-lm").toString(),
                                Fixtures.hf("llama-rm").toString()));
        assertEquals(2, runs.run("train", "--config", cfg.toString()), runs.err.toString());
        String err = runs.err.toString();
        assertTrue(err.contains("num_labels") && err.contains("needs a score head of 3"), err);
        assertTrue(!err.contains("\tat "), err);
    }

    @Test
    void aPerUserObjectiveOnPairsWithoutUsersExitsTwoNamingTheRow() throws IOException {
        Path train = runs.labelledPairs(new double[] {1, 1, 1, 1});
        Path cfg = config(train, dir.resolve("no-users"), "{type: maxmin}", 2);
        assertEquals(2, runs.run("train", "--config", cfg.toString()), runs.err.toString());
        String err = runs.err.toString();
        assertTrue(err.contains("user_id") && err.contains("labelled.jsonl"), err);
        assertTrue(!err.contains("\tat "), err);
    }
}
