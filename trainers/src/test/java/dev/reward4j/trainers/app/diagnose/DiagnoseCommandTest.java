package dev.reward4j.trainers.app.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.trainers.app.launcher.Reward4j;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reward4j diagnose} end to end on the causal-LM fixture: per-pair diagnostics, the
 * idealized ranking with policy = reference, the CHES filter's dropped pairs and filtered file, the
 * displacement trajectory over a DPO run's checkpoints, and usage errors with exit status 2.
 */
class DiagnoseCommandTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    static final ObjectMapper JSON = new ObjectMapper();

    static final String[] WORDS = {
        "good", "great", "fine", "bad", "awful", "poor", "the", "answer", "is", "clear", "wrong"
    };

    int run(String... args) {
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    Path prefs(String name, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(
                    String.format(
                            "{\"id\": \"q%d\", \"prompt\": \"question %d: %s %s?\", \"chosen\":"
                                    + " \"%s %s answer\", \"rejected\": \"%s %s\"}",
                            i,
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

    List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void diagnosesEveryPairAndFiltersTheHighestChesScores() throws IOException {
        Path data = prefs("prefs.jsonl", 8, 3);
        Path lm = Fixtures.hf("llama-lm");
        Path output = dir.resolve("diag");
        assertEquals(
                0,
                run(
                        "diagnose",
                        "--model",
                        lm.toString(),
                        "--reference",
                        lm.toString(),
                        "--tokenizer",
                        Fixtures.hf("tokenizer").toString(),
                        "--data",
                        data.toString(),
                        "--max-length",
                        "64",
                        "--batch-size",
                        "3",
                        "--top-k",
                        "5",
                        "--ches-filter",
                        "0.25",
                        "--output",
                        output.toString()),
                err.toString());
        List<JsonNode> pairs = lines(output.resolve("diagnostics-pairs.jsonl"));
        assertEquals(8, pairs.size());
        double idealized = 0;
        for (JsonNode p : pairs) {
            // the ideal policy adds log(0.75/0.25)/0.1 = 10.99 nats to the reference's margin
            boolean ideal =
                    p.get("ref_logps_chosen").asDouble()
                                    - p.get("ref_logps_rejected").asDouble()
                                    + Math.log(3) / 0.1
                            > 0;
            assertEquals(ideal, p.get("idealized_correct").asBoolean(), p.toString());
            idealized += ideal ? 1 : 0;
            assertEquals(
                    p.get("logps_chosen").asDouble(), p.get("ref_logps_chosen").asDouble(), 1e-4);
            assertTrue(p.get("ches").asDouble() <= 1e-3, p.toString());
            double mass = p.get("topk_mass_chosen").asDouble();
            assertTrue(mass > 0 && mass <= 1, p.toString());
        }
        // floor(0.25 * 8) = 2 pairs dropped: the two highest CHES scores
        List<JsonNode> byChes = new ArrayList<>(pairs);
        byChes.sort(Comparator.comparingDouble((JsonNode p) -> -p.get("ches").asDouble()));
        List<String> dropped = Files.readAllLines(output.resolve("ches-dropped-ids.txt"));
        assertEquals(
                List.of(byChes.get(0).get("id").asText(), byChes.get(1).get("id").asText()),
                dropped);
        for (JsonNode p : pairs) {
            assertEquals(
                    dropped.contains(p.get("id").asText()),
                    p.get("ches_dropped").asBoolean(),
                    p.toString());
        }
        List<JsonNode> kept = lines(output.resolve("ches-filtered.jsonl"));
        assertEquals(6, kept.size());
        for (JsonNode row : kept) {
            assertTrue(!dropped.contains(row.get("id").asText()), row.toString());
        }
        JsonNode result = JSON.readTree(output.resolve("diagnostics-result.json").toFile());
        JsonNode s = result.get("summary");
        assertEquals(8, s.get("pairs").asInt());
        assertEquals(idealized / 8, s.get("idealized_ranking_accuracy").asDouble(), 1e-12);
        double ranking = 0;
        for (JsonNode p : pairs) {
            ranking += p.get("ranking_correct").asBoolean() ? 1 : 0;
        }
        assertEquals(ranking / 8, s.get("ranking_accuracy").asDouble(), 1e-12);
        assertEquals((idealized - ranking) / 8, s.get("alignment_gap").asDouble(), 1e-12);
        assertEquals(2, result.get("ches_filter").get("dropped").asInt());
        assertEquals(6, result.get("ches_filter").get("rows_kept").asInt());
        assertEquals(8, result.get("counters").get("kept").asInt());
        assertTrue(out.toString().contains("CHES filter 0.250 drops 2 of 8 pairs"), out.toString());
    }

    @Test
    void theTrajectoryOverARunsCheckpointsStartsAtTheReference() throws IOException {
        Path data = prefs("prefs.jsonl", 6, 5);
        Path lm = Fixtures.hf("llama-lm");
        Path runDir = dir.resolve("run");
        Path config = dir.resolve("dpo.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "model: {path: " + lm + ", tokenizer: " + Fixtures.hf("tokenizer") + "}",
                        "data: {train: " + data + ", max_length: 64, batch_size: 2}",
                        "objective: {type: dpo, beta: 0.5}",
                        "optim: {lr: 1.0e-2}",
                        "schedule: {type: constant}",
                        "train: {max_steps: 4, log_every: 1, output_dir: " + runDir + "}",
                        "checkpoint: {every: 2, keep_last: 5}",
                        ""));
        assertEquals(0, run("train", "--config", config.toString()), err.toString());
        Path output = dir.resolve("diag");
        assertEquals(
                0,
                run(
                        "diagnose",
                        "--model",
                        lm.toString(),
                        "--reference",
                        lm.toString(),
                        "--tokenizer",
                        Fixtures.hf("tokenizer").toString(),
                        "--data",
                        data.toString(),
                        "--max-length",
                        "64",
                        "--checkpoints",
                        runDir.toString(),
                        "--output",
                        output.toString()),
                err.toString());
        List<JsonNode> points = lines(output.resolve("trajectory.jsonl"));
        assertEquals(3, points.size());
        assertEquals(
                List.of(0L, 2L, 4L), points.stream().map(p -> p.get("step").asLong()).toList());
        JsonNode summary =
                JSON.readTree(output.resolve("diagnostics-result.json").toFile()).get("summary");
        // step 0 is the reference, here the diagnosed model itself
        assertEquals(
                summary.get("logps_chosen").asDouble(),
                points.get(0).get("logps_chosen").asDouble(),
                1e-4);
        assertEquals(0.0, points.get(0).get("logps_margin_change").asDouble());
        // DPO widened the margin over the run
        assertTrue(points.get(2).get("logps_margin_change").asDouble() > 0, points.toString());
        for (JsonNode p : points) {
            boolean flag =
                    p.get("logps_chosen_change").asDouble() < 0
                            && p.get("logps_margin_change").asDouble() > 0;
            assertEquals(flag, p.get("likelihood_displacement").asBoolean(), p.toString());
        }
    }

    @Test
    void badOptionsExitWithTwoNamingTheOption() throws IOException {
        Path data = prefs("prefs.jsonl", 2, 1);
        String lm = Fixtures.hf("llama-lm").toString();
        assertEquals(
                2,
                run("diagnose", "--model", lm, "--data", data.toString(), "--ches-filter", "1.5"));
        assertTrue(err.toString().contains("--ches-filter"), err.toString());
        err.reset();
        assertEquals(
                2, run("diagnose", "--model", lm, "--data", data.toString(), "--format", "kto"));
        assertTrue(err.toString().contains("--format"), err.toString());
        err.reset();
        assertEquals(2, run("diagnose", "--data", data.toString()));
        assertTrue(err.toString().contains("Missing required option: '--model"), err.toString());
        err.reset();
        assertEquals(2, run("diagnose", "--model", lm, "--data", data.toString(), "--bogus", "1"));
        assertTrue(err.toString().contains("--bogus"), err.toString());
    }
}
