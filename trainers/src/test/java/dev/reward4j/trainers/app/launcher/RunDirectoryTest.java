package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.metrics.MetricRecord;
import dev.reward4j.trainers.metrics.MetricsLog;
import dev.reward4j.trainers.metrics.TensorBoardSinkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory belongs to one run: it is resumed only by the same run, a finished run is never
 * rewritten, metrics hold each (phase, step) once, and the steps of TRL's epoch and warm-up ratio
 * keys are resolved against the data.
 */
class RunDirectoryTest {
    @TempDir Path dir;
    Runs runs;
    Path train;
    Path output;
    Path cfg;

    @BeforeEach
    void setUp() throws IOException {
        runs = new Runs(dir);
        train = runs.prefs("train.jsonl", 24, 1);
        output = dir.resolve("run");
        cfg = runs.config("rm.yaml", runs.rmYaml(train, output, 4));
    }

    List<String> checkpoints() {
        return new Checkpointer(output.resolve("checkpoints"), 5)
                .list().stream().map(p -> p.getFileName().toString()).toList();
    }

    static List<String> keys(Path metrics) {
        return MetricsLog.read(metrics).stream().map(r -> r.phase() + "@" + r.step()).toList();
    }

    JsonNode summary() throws IOException {
        return new ObjectMapper().readTree(output.resolve("summary.json").toFile());
    }

    @Test
    void anotherModelDataOrScheduleStopsBeforeAnyWorkWithTheDifferencesAndTheWaysOut()
            throws IOException {
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        byte[] metrics = Files.readAllBytes(output.resolve("metrics.jsonl"));
        byte[] summary = Files.readAllBytes(output.resolve("summary.json"));
        assertEquals(List.of("checkpoint-2", "checkpoint-4"), checkpoints());

        assertEquals(
                2,
                runs.run(
                        "train",
                        "--config",
                        cfg.toString(),
                        "--set",
                        "model.path=" + Fixtures.hf("qwen2-rm")));
        assertTrue(runs.err().contains("holds another run"), runs.err());
        assertTrue(runs.err().matches("(?s).*\\n  model +sha256:\\S+ +-> +sha256:.*"), runs.err());
        assertTrue(
                runs.err().contains("model.path of the recorded run: " + Fixtures.hf("llama-rm")),
                runs.err());
        assertTrue(runs.err().contains("--resume=force"), runs.err());
        assertTrue(runs.err().contains("another train.output_dir"), runs.err());

        Path other = runs.prefs("other.jsonl", 24, 2);
        assertEquals(
                2, runs.run("train", "--config", cfg.toString(), "--set", "data.train=" + other));
        assertTrue(runs.err().contains("data.train (content)"), runs.err());

        assertEquals(2, runs.run("train", "--config", cfg.toString(), "--set", "max_steps=2"));
        assertTrue(runs.err().contains("train.max_steps  4  ->  2"), runs.err());

        assertEquals(
                2,
                runs.run("train", "--config", cfg.toString(), "--set", "checkpoint.resume=false"));
        assertTrue(runs.err().contains("already holds this run"), runs.err());

        // nothing of the recorded run was touched by the refused commands
        assertArrayEquals(metrics, Files.readAllBytes(output.resolve("metrics.jsonl")));
        assertArrayEquals(summary, Files.readAllBytes(output.resolve("summary.json")));
        assertEquals(List.of("checkpoint-2", "checkpoint-4"), checkpoints());
    }

    @Test
    void aFinishedRunIsNeverRewrittenAndForceExtendsIt() throws IOException {
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        byte[] summary = Files.readAllBytes(output.resolve("summary.json"));
        long modelTime =
                Files.getLastModifiedTime(output.resolve("final/model.safetensors")).toMillis();

        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        assertTrue(runs.err().contains("is a finished run (step 4 of 4)"), runs.err());
        assertTrue(runs.out().contains("rewards/accuracies"), "the summary again: " + runs.out());
        assertArrayEquals(summary, Files.readAllBytes(output.resolve("summary.json")));
        assertEquals(
                modelTime,
                Files.getLastModifiedTime(output.resolve("final/model.safetensors")).toMillis());

        // a deliberate longer run
        assertEquals(
                0,
                runs.run(
                        "train",
                        "--config",
                        cfg.toString(),
                        "--set",
                        "max_steps=6",
                        "--resume=force"),
                runs.err());
        assertTrue(runs.err().contains("train.max_steps  4  ->  6"), runs.err());
        assertTrue(
                runs.err().contains("resuming from " + output.resolve("checkpoints/checkpoint-4")));
        assertEquals(
                List.of("train@1", "train@2", "train@3", "train@4", "train@5", "train@6"),
                keys(output.resolve("metrics.jsonl")));
        assertEquals(6, summary().get("steps").asLong());
        assertEquals(List.of("checkpoint-4", "checkpoint-6"), checkpoints());
        // the recorded run is now the longer one: resuming it again needs no force
        assertEquals(
                0,
                runs.run("train", "--config", cfg.toString(), "--set", "max_steps=6"),
                runs.err());
        assertTrue(runs.err().contains("is a finished run (step 6 of 6)"), runs.err());
    }

    @Test
    void aRunKilledBeforeItsFinalSaveEndsWithTheSummaryOfTheWholeRun() throws IOException {
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        JsonNode before = summary();
        // as if killed between the last checkpoint and the end: no final/, no summary.json
        deleteTree(output.resolve("final"));
        Files.delete(output.resolve("summary.json"));
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        JsonNode after = summary();
        assertEquals("finished", after.get("status").asText());
        assertEquals(4, after.get("steps").asLong());
        assertEquals(before.get("train"), after.get("train"), "the final metrics, not '0 steps'");
        assertTrue(Files.exists(output.resolve("final/model.safetensors")));
        assertEquals(
                List.of("train@1", "train@2", "train@3", "train@4"),
                keys(output.resolve("metrics.jsonl")));
    }

    @Test
    void afterAResumeTheMetricsHoldEachStepOnce() throws IOException {
        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        List<MetricRecord> straight = MetricsLog.read(output.resolve("metrics.jsonl"));
        // as if killed after step 3 was logged: the newest checkpoint is step 2
        deleteTree(output.resolve("checkpoints/checkpoint-4"));
        deleteTree(output.resolve("final"));
        Files.delete(output.resolve("summary.json"));
        List<String> lines = Files.readAllLines(output.resolve("metrics.jsonl"));
        Files.write(output.resolve("metrics.jsonl"), lines.subList(0, 3));
        Files.writeString(
                output.resolve("metrics.jsonl"),
                "{\"phase\":\"train\",\"step\":4,\"ti", // a line cut off by the kill
                java.nio.file.StandardOpenOption.APPEND);

        assertEquals(0, runs.run("train", "--config", cfg.toString()), runs.err());
        assertTrue(
                runs.err().contains("resuming from " + output.resolve("checkpoints/checkpoint-2")));
        List<MetricRecord> resumed = MetricsLog.read(output.resolve("metrics.jsonl"));
        assertEquals(
                List.of("train@1", "train@2", "train@3", "train@4"),
                keys(output.resolve("metrics.jsonl")));
        for (int i = 0; i < 4; i++) {
            assertEquals(
                    straight.get(i).value("loss"),
                    resumed.get(i).value("loss"),
                    1e-6,
                    "step " + (i + 1));
        }
        // the report reads the same records
        String html = Files.readString(output.resolve("report/report.html"));
        assertTrue(html.contains("<title>run</title>"), "titled by the run's name");
        assertTrue(html.contains("train.max_steps"), "lists the resolved hyperparameters");
    }

    @Test
    void epochsAndWarmupRatioAreResolvedAgainstTheKeptExamples() throws IOException {
        Path c =
                runs.config(
                        "epochs.yaml",
                        runs.rmYaml(train, output, 4)
                                        .replace("max_steps: 4, ", "")
                                        .replace(
                                                "optim: {lr: 1.0e-3}",
                                                "optim: {lr: 1.0e-3}\n"
                                                        + "schedule: {warmup_ratio: 0.34}")
                                + "num_train_epochs: 1\ngradient_accumulation_steps: 2\n");
        assertEquals(0, runs.run("train", "--config", c.toString()), runs.err());
        // 24 pairs in steps of 4 x 2: 3 steps; warm-up ceil(0.34 x 3) = 2
        assertTrue(
                runs.err()
                        .contains(
                                "train.epochs 1.0 over 24 training examples in steps of 4 x 2 = 3"
                                        + " steps"),
                runs.err());
        assertTrue(runs.err().contains("= 2 warm-up steps"), runs.err());
        assertEquals(3, summary().get("max_steps").asLong());
        JsonNode record = new ObjectMapper().readTree(output.resolve("run.json").toFile());
        assertEquals(3, record.path("config").path("train").path("max_steps").asLong());
        assertEquals(2, record.path("config").path("schedule").path("warmup_steps").asLong());
        assertEquals(1.0, record.path("config").path("train").path("epochs").asDouble());
        // the same epochs again: the same run (max_steps comes from the data)
        assertEquals(0, runs.run("train", "--config", c.toString()), runs.err());
        assertTrue(runs.err().contains("is a finished run (step 3 of 3)"), runs.err());
    }

    @Test
    void tensorBoardEventFilesHoldEveryLoggedScalar() throws IOException {
        assertEquals(
                0,
                runs.run("train", "--config", cfg.toString(), "--set", "report_to=tensorboard"),
                runs.err());
        Path file;
        try (Stream<Path> s = Files.list(output.resolve("tensorboard"))) {
            file =
                    s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
                            .findFirst()
                            .orElseThrow();
        }
        List<TensorBoardSinkTest.Scalar> scalars = TensorBoardSinkTest.read(file);
        List<Long> steps =
                scalars.stream()
                        .filter(s -> s.tag().equals("train/loss"))
                        .map(TensorBoardSinkTest.Scalar::step)
                        .toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), steps);
        assertFalse(scalars.stream().noneMatch(s -> s.tag().equals("train/rewards/accuracies")));
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
