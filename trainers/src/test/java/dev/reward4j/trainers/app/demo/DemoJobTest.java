package dev.reward4j.trainers.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.app.launcher.Reward4j;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the main job with the tiny configuration, through the launcher's {@code demo}
 * command.
 */
class DemoJobTest {
    @TempDir Path tmp;

    @Test
    void tinyDemoTrainsEvaluatesAndWritesModelReportAndSummary() throws Exception {
        Path out = tmp.resolve("demo");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status =
                Reward4j.run(
                        new String[] {"demo", "--tiny", "--steps", "250", "--out", out.toString()},
                        new PrintStream(console, true, StandardCharsets.UTF_8),
                        new PrintStream(errors, true, StandardCharsets.UTF_8));
        String text = console.toString(StandardCharsets.UTF_8);
        assertEquals(
                0,
                status,
                () -> "exit status; stderr:\n" + errors.toString(StandardCharsets.UTF_8));
        assertTrue(
                text.contains("held-out accuracy") && text.contains("ground-truth ceiling"), text);
        String progress = errors.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("training a 1-layer"), "progress goes to stderr: " + progress);
        assertFalse(text.contains("training a 1-layer"), "results only on stdout: " + text);

        // the common summary schema of train, demo and eval: snake_case, relative paths
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("reward4j.summary/1", summary.get("schema").asText());
        assertEquals("demo", summary.get("command").asText());
        assertEquals("finished", summary.get("status").asText());
        assertEquals("model", summary.get("files").get("model").asText());
        assertEquals("report/report.html", summary.get("files").get("report").asText());
        assertFalse(summary.toString().contains("file:"), summary.toString());
        JsonNode eval = summary.get("eval");
        double accuracy = eval.get("rewards/accuracies").asDouble();
        double ceiling = eval.get("ceiling_accuracy").asDouble();
        assertEquals(250, summary.get("steps").asLong());
        assertEquals(0, summary.get("data").get("dropped").asLong(), summary.toString());
        assertTrue(
                summary.get("facts").get("data").asText().contains("256 held-out"),
                summary.toString());
        assertTrue(ceiling > 0.8 && ceiling < 1.0, "ceiling " + ceiling);
        // 250 steps of the 1-layer tiny model learn something (chance is 0.5; 0.6 on 256 pairs is >
        // 3 sigma above it);
        // the full main job gets close to the ceiling (see README)
        assertTrue(
                accuracy > 0.6 && accuracy <= ceiling + 0.05,
                "accuracy " + accuracy + ", ceiling " + ceiling);
        double nll = eval.get("preference_nll").asDouble();
        assertTrue(nll < Math.log(2), "held-out preference NLL " + nll + " not below log 2");

        for (String f :
                new String[] {
                    "model/config.json",
                    "model/model.safetensors",
                    "model/tokenizer.json",
                    "report/report.html",
                    "report/loss.png",
                    "report/accuracy.png",
                    "report/rewards.png",
                    "report/reward-curves.png",
                    "report/calibration.png",
                    "metrics.jsonl",
                    "run.json"
                }) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode config = new ObjectMapper().readTree(out.resolve("model/config.json").toFile());
        assertEquals("LlamaForSequenceClassification", config.get("architectures").get(0).asText());
        // the written checkpoint loads back as a reward model
        try (DecoderModel m =
                DecoderModel.load(
                        out.resolve("model"), ModelHead.REWARD, ModelOptions.defaults())) {
            assertEquals(1, m.config().numLabels());
        }
    }

    @Test
    void badArgumentsExitWithStatus2AndUsage() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status =
                Reward4j.run(
                        new String[] {"demo", "--bogus", "1"},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(errors, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(
                errors.toString(StandardCharsets.UTF_8)
                        .startsWith("reward4j demo: unknown option '--bogus'; expected one of"),
                errors.toString(StandardCharsets.UTF_8));
    }
}
