package dev.reward4j.trainers.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.trainers.eval.HeldOutEvaluator;
import dev.reward4j.trainers.eval.HeldOutResult;
import dev.reward4j.trainers.metrics.JsonlMetricSink;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.metrics.MetricRecord;
import dev.reward4j.trainers.metrics.MetricsLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    /** A synthetic run: loss decays from log 2, accuracy rises toward 0.9; eval every 10 steps. */
    static List<MetricRecord> syntheticRun(Path file) {
        try (JsonlMetricSink sink = JsonlMetricSink.create(file)) {
            for (int step = 1; step <= 60; step++) {
                Map<String, Double> v = new LinkedHashMap<>();
                v.put(
                        MetricNames.LOSS,
                        0.693 * Math.exp(-step / 25.0) + 0.2 + 0.02 * Math.sin(step));
                v.put(MetricNames.ACCURACY, 0.5 + 0.4 * (1 - Math.exp(-step / 15.0)));
                v.put(MetricNames.REWARD_CHOSEN, 0.02 * step);
                v.put(MetricNames.REWARD_REJECTED, -0.02 * step);
                sink.record("train", step, v);
                if (step % 10 == 0) {
                    sink.record(
                            "eval",
                            step,
                            Map.of(
                                    MetricNames.LOSS,
                                    0.25 + 0.4 * Math.exp(-step / 25.0),
                                    MetricNames.ACCURACY,
                                    0.5 + 0.35 * (1 - Math.exp(-step / 15.0))));
                }
            }
        }
        return MetricsLog.read(file);
    }

    /** Held-out rewards: chosen ~ N(1, 1), rejected ~ N(-0.5, 1). */
    static HeldOutResult syntheticHeldOut() {
        Random rnd = new Random(7);
        double[] c = new double[400];
        double[] r = new double[400];
        for (int i = 0; i < c.length; i++) {
            c[i] = 1 + rnd.nextGaussian();
            r[i] = -0.5 + rnd.nextGaussian();
        }
        return HeldOutEvaluator.evaluate(c, r);
    }

    @Nested
    class Rendering {
        @Test
        void inlinesFiveValidPngsOfTheChartSizeIntoASelfContainedPage(@TempDir Path dir)
                throws IOException {
            List<MetricRecord> records = syntheticRun(dir.resolve("metrics.jsonl"));
            ReportInput input =
                    ReportInput.of("reward4j test report", records)
                            .withHeldOut(syntheticHeldOut())
                            .withFinalMetrics(Map.of(MetricNames.ACCURACY, 0.85))
                            .withCeilingAccuracy(0.9)
                            .withRunInfo(Map.of("model", "tiny <llama>"));

            HtmlReport.Written written = HtmlReport.write(dir.resolve("report"), input);

            assertEquals(5, written.images().size());
            String html = Files.readString(written.html());
            // self-contained: every image is a data URI, nothing is linked
            assertFalse(html.contains("src=\"" + HtmlReport.LOSS_PNG), "no external image");
            assertEquals(5, html.split("src=\"data:image/png;base64,", -1).length - 1);
            for (Path png : written.images()) {
                byte[] bytes = Files.readAllBytes(png);
                // PNG signature 0x89 'P' 'N' 'G'
                assertEquals((byte) 0x89, bytes[0]);
                assertEquals('P', bytes[1]);
                BufferedImage img = ImageIO.read(png.toFile());
                assertNotNull(img, png + " must decode as an image");
                assertEquals(Charts.WIDTH, img.getWidth());
                assertEquals(Charts.HEIGHT, img.getHeight());
                assertTrue(
                        html.contains(java.util.Base64.getEncoder().encodeToString(bytes)),
                        "html must inline " + png);
            }
            assertTrue(html.contains("0.9000"), "the ceiling accuracy is in the table");
            assertTrue(html.contains("tiny &lt;llama&gt;"), "run info is escaped");
            assertTrue(html.contains("<title>reward4j test report</title>"), "titled by the run");
        }

        @Test
        void listsTheResolvedHyperparametersAndSmoothsTrainingCurves(@TempDir Path dir)
                throws IOException {
            List<MetricRecord> records = syntheticRun(dir.resolve("metrics.jsonl"));
            com.fasterxml.jackson.databind.JsonNode config =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(
                                    "{\"optim\": {\"lr\": 1e-5}, \"train\": {\"max_steps\": 60}}");
            HtmlReport.Written written =
                    HtmlReport.write(
                            dir, ReportInput.of("rm-run", records).withHyperparameters(config));
            String html = Files.readString(written.html());
            assertTrue(html.contains("Hyperparameters"), html);
            assertTrue(html.contains("<td>optim.lr</td><td class=\"num\">1.0E-5</td>"), html);
            assertTrue(html.contains("<td>train.max_steps</td><td class=\"num\">60</td>"), html);
            // TensorBoard's debiased EMA: the first point is the raw value
            List<Double> s = Charts.smooth(List.of(2.0, 3.0));
            assertEquals(2.0, s.get(0), 1e-12);
            // (0.6 * 0.8 + 0.4 * 3) / (1 - 0.36) with 0.8 = 0.4 * 2
            assertEquals((0.6 * 0.8 + 0.4 * 3) / (1 - 0.36), s.get(1), 1e-12);
        }

        @Test
        void leavesOutChartsWithoutData(@TempDir Path dir) throws IOException {
            List<MetricRecord> records = syntheticRun(dir.resolve("metrics.jsonl"));

            HtmlReport.Written written =
                    HtmlReport.write(dir, ReportInput.of("curves only", records));

            assertEquals(
                    List.of(
                            dir.resolve(HtmlReport.LOSS_PNG),
                            dir.resolve(HtmlReport.ACCURACY_PNG),
                            dir.resolve(HtmlReport.REWARD_CURVES_PNG)),
                    written.images());
            String html = Files.readString(written.html());
            assertFalse(html.contains("no data"), "charts that do not apply are not announced");
            assertFalse(Files.exists(dir.resolve(HtmlReport.REWARDS_PNG)));
            assertFalse(Files.exists(dir.resolve(HtmlReport.CALIBRATION_PNG)));
        }
    }
}
