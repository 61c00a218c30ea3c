package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reward4j ensemble train} trains separately seeded (or separately based) members into one
 * directory that {@code score}, {@code eval} and {@code ensemble relabel} open as an ensemble: the
 * ensemble's member rewards are the members' own rewards, its reward their mean, its relabelling
 * Secrets-of-RLHF-II's strength, flip and adaptive margin of those rewards.
 */
class EnsembleRunTest {
    @TempDir Path dir;

    LauncherRuns runs;
    Path pairs;

    @BeforeEach
    void setUp() throws IOException {
        runs = new LauncherRuns(dir);
        pairs = runs.labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
    }

    Path config(String objective) throws IOException {
        return runs.config(
                "ens", "", "{train: " + pairs + ", max_length: 64, batch_size: 4}", objective);
    }

    @Test
    void membersTrainIntoOneDirectoryThatScoresEvaluatesAndRelabelsAsAnEnsemble()
            throws IOException {
        Path cfg = config("{type: bt}");
        assertEquals(
                0,
                runs.run("ensemble", "train", "--config", cfg.toString(), "--members", "3"),
                runs.err.toString());
        Path ens = dir.resolve("ens");
        assertTrue(RewardEnsemble.isEnsemble(ens), "no ensemble.json");
        assertEquals(
                List.of(
                        ens.resolve("member-0/final"),
                        ens.resolve("member-1/final"),
                        ens.resolve("member-2/final")),
                RewardEnsemble.checkpoints(ens));
        // members differ (seeds train.seed + i); the ensemble's member rewards are theirs
        List<JsonNode> together = runs.score(ens, runs.responses(pairs));
        double[][] alone = new double[3][];
        for (int k = 0; k < 3; k++) {
            alone[k] =
                    runs
                            .score(ens.resolve("member-" + k + "/final"), runs.responses(pairs))
                            .stream()
                            .mapToDouble(r -> r.path("reward").asDouble())
                            .toArray();
        }
        assertNotEquals(alone[0][0], alone[1][0], "members from different seeds are equal");
        for (int i = 0; i < together.size(); i++) {
            JsonNode row = together.get(i);
            double mean = 0;
            for (int k = 0; k < 3; k++) {
                assertEquals(
                        alone[k][i], row.path("rewards").get(k).asDouble(), 1e-6, row.toString());
                mean += alone[k][i] / 3;
            }
            assertEquals(mean, row.path("reward").asDouble(), 1e-6, row.toString());
            assertTrue(row.path("uncertainty").get(0).asDouble() > 0, row.toString());
        }
        // a second call retrains nothing
        String before = Files.readString(ens.resolve("member-1/metrics.jsonl"));
        assertEquals(
                0,
                runs.run("ensemble", "train", "--config", cfg.toString(), "--members", "3"),
                runs.err.toString());
        assertEquals(before, Files.readString(ens.resolve("member-1/metrics.jsonl")));

        // eval: the aggregate's accuracy and the ensemble's uncertainty metrics
        Path evalDir = dir.resolve("eval");
        assertEquals(
                0,
                runs.run(
                        "eval",
                        "--model",
                        ens.toString(),
                        "--data",
                        pairs.toString(),
                        "--output",
                        evalDir.toString()),
                runs.err.toString());
        JsonNode metrics =
                new ObjectMapper()
                        .readTree(evalDir.resolve("heldout-result.json").toFile())
                        .path("metrics");
        for (String key :
                List.of(
                        "rewards/accuracies",
                        "ensemble/uncertainty_auroc",
                        "ensemble/disagreement",
                        "ensemble/split_pairs")) {
            assertTrue(metrics.has(key), key + " missing in " + metrics);
        }
        List<JsonNode> perPair = LauncherRuns.jsonl(evalDir.resolve("heldout-ensemble.jsonl"));
        assertEquals(8, perPair.size());
        for (JsonNode p : perPair) {
            double u = p.path("uncertainty").asDouble(-1);
            assertTrue(
                    u >= 0 && u <= 1 && p.has("strength_std") && p.has("disagreement"),
                    p.toString());
        }
        Path evalMin = dir.resolve("eval-min");
        assertEquals(
                0,
                runs.run(
                        "eval",
                        "--model",
                        ens.toString(),
                        "--data",
                        pairs.toString(),
                        "--output",
                        evalMin.toString(),
                        "--aggregate",
                        "min"));
        assertTrue(
                Files.readString(evalMin.resolve("heldout-result.json")).contains("min aggregate"),
                "the record does not name the aggregate");
        long right = 0;
        for (int i = 0; i < together.size(); i += 2) {
            right +=
                    together.get(i).path("reward").asDouble()
                                    > together.get(i + 1).path("reward").asDouble()
                            ? 1
                            : 0;
        }
        assertEquals(
                right / (together.size() / 2.0),
                metrics.path("rewards/accuracies").asDouble(),
                1e-9);

        // relabel: strength = mean/std over members of r_k(chosen) - r_k(rejected); flips with
        // confidence 0 turn every pair of negative mean around; margin = max(mean, 0)
        Path relabelled = dir.resolve("relabelled.jsonl");
        assertEquals(
                0,
                runs.run(
                        "ensemble",
                        "relabel",
                        "--ensemble",
                        ens.toString(),
                        "--input",
                        pairs.toString(),
                        "--output",
                        relabelled.toString(),
                        "--flip-confidence",
                        "0",
                        "--margin-scale",
                        "1"),
                runs.err.toString());
        List<JsonNode> original = LauncherRuns.jsonl(pairs);
        List<JsonNode> out = LauncherRuns.jsonl(relabelled);
        int flips = 0;
        for (int i = 0; i < out.size(); i++) {
            double[] d = new double[3];
            double mean = 0;
            for (int k = 0; k < 3; k++) {
                d[k] = alone[k][2 * i] - alone[k][2 * i + 1];
                mean += d[k] / 3;
            }
            double var = 0;
            for (double v : d) {
                var += (v - mean) * (v - mean);
            }
            JsonNode row = out.get(i);
            boolean flipped = mean < 0;
            flips += flipped ? 1 : 0;
            assertEquals(flipped, row.path("flipped").asBoolean(false), row.toString());
            assertEquals(
                    original.get(i).path(flipped ? "rejected" : "chosen").asText(),
                    row.path("chosen").asText());
            assertEquals(
                    Math.abs(mean), row.path("strength_mean").asDouble(), 1e-5, row.toString());
            assertEquals(Math.sqrt(var / 3), row.path("strength_std").asDouble(), 1e-5);
            assertEquals(Math.abs(mean), row.path("margin").asDouble(), 1e-5, row.toString());
        }
        assertTrue(runs.out.toString().contains("flipped " + flips + ","), runs.out.toString());
    }

    @Test
    void membersMayStartFromDifferentBaseCheckpoints() throws IOException {
        Path cfg = config("{type: bt}");
        assertEquals(
                0,
                runs.run(
                        "ensemble",
                        "train",
                        "--config",
                        cfg.toString(),
                        "--members",
                        "2",
                        "--base-models",
                        Fixtures.hf("llama-lm") + "," + Fixtures.hf("qwen2-lm")),
                runs.err.toString());
        Path ens = dir.resolve("ens");
        assertTrue(
                Files.readString(ens.resolve("member-1/final/config.json")).contains("Qwen2"),
                "member 1 is not the Qwen2 base");
        assertEquals(16, runs.score(ens, runs.responses(pairs)).size());
    }

    @Test
    void badEnsemblesExitTwoWithOneLine() throws IOException {
        Path cfg = config("{type: bt}");
        assertEquals(
                2, runs.run("ensemble", "train", "--config", cfg.toString(), "--members", "1"));
        assertTrue(runs.err.toString().contains("--members"), runs.err.toString());
        assertEquals(
                2,
                runs.run(
                        "ensemble",
                        "train",
                        "--config",
                        cfg.toString(),
                        "--members",
                        "3",
                        "--base-models",
                        Fixtures.hf("llama-lm").toString()));
        assertTrue(runs.err.toString().contains("--base-models"), runs.err.toString());
        Path dpo = config("{type: dpo}");
        assertEquals(
                2, runs.run("ensemble", "train", "--config", dpo.toString(), "--members", "2"));
        assertTrue(runs.err.toString().contains("got dpo"), runs.err.toString());
        assertEquals(
                2,
                runs.run(
                        "ensemble",
                        "relabel",
                        "--ensemble",
                        dir.toString(),
                        "--input",
                        pairs.toString(),
                        "--output",
                        dir.resolve("o.jsonl").toString()));
        assertTrue(runs.err.toString().contains("no ensemble.json"), runs.err.toString());
        assertTrue(!runs.err.toString().contains("\tat "), runs.err.toString());
    }
}
