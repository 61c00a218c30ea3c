package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlMetricSinkTest {

    @Nested
    class RoundTrip {
        @Test
        void writesOneJsonObjectPerRecordAndReadsItBackInOrder(@TempDir Path dir)
                throws IOException {
            Path file = dir.resolve("sub/metrics.jsonl");
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("loss", 0.5);
            v.put("accuracy", 0.75);
            v.put("grad_norm", Double.NaN);
            try (JsonlMetricSink sink = JsonlMetricSink.create(file)) {
                sink.record("train", 1, v);
                sink.record("eval", 1, Map.of("accuracy", 0.7));
            }
            List<String> lines = Files.readAllLines(file);
            assertEquals(2, lines.size());
            assertTrue(
                    lines.get(0).startsWith("{\"phase\":\"train\",\"step\":1,\"time\":"),
                    lines.get(0));
            assertTrue(
                    lines.get(0).contains("\"grad_norm\":null"),
                    "NaN is written as null: " + lines.get(0));

            List<MetricRecord> read = MetricsLog.read(file);
            assertEquals("train", read.get(0).phase());
            assertEquals(
                    List.of("loss", "accuracy", "grad_norm"),
                    List.copyOf(read.get(0).values().keySet()));
            assertEquals(0.75, read.get(0).value("accuracy"));
            assertTrue(Double.isNaN(read.get(0).value("grad_norm")));
            assertTrue(read.get(0).time() >= 0);
            assertEquals("eval", read.get(1).phase());
        }

        @Test
        void appendKeepsEarlierRecords(@TempDir Path dir) {
            Path file = dir.resolve("m.jsonl");
            try (JsonlMetricSink sink = JsonlMetricSink.create(file)) {
                sink.record("train", 1, Map.of("loss", 1.0));
            }
            try (JsonlMetricSink sink = JsonlMetricSink.append(file)) {
                sink.record("train", 2, Map.of("loss", 0.5));
            }
            assertEquals(
                    List.of(1L, 2L),
                    MetricsLog.read(file).stream().map(MetricRecord::step).toList());
        }
    }

    @Nested
    class Reading {
        @Test
        void namesFileAndLineOfAMalformedRecord(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("bad.jsonl");
            Files.writeString(
                    file,
                    "{\"phase\":\"train\",\"step\":1,\"values\":{}}\n{\"phase\":\"train\"}\n");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> MetricsLog.read(file));
            assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
        }
    }

    @Nested
    class Resume {
        @Test
        void cutsTheFileBackToTheCheckpointStepAndKeepsEachPhaseAndStepOnce(@TempDir Path dir)
                throws java.io.IOException {
            Path file = dir.resolve("metrics.jsonl");
            java.nio.file.Files.write(
                    file,
                    List.of(
                            "{\"phase\":\"train\",\"step\":1,\"time\":1.0,\"values\":{\"loss\":0.9}}",
                            "{\"phase\":\"train\",\"step\":2,\"time\":2.0,\"values\":{\"loss\":0.8}}",
                            // an earlier version appended the replayed step 2 once more
                            "{\"phase\":\"train\",\"step\":2,\"time\":3.0,\"values\":{\"loss\":0.7}}",
                            "{\"phase\":\"eval\",\"step\":2,\"time\":3.5,\"values\":{\"loss\":0.6}}",
                            "{\"phase\":\"train\",\"step\":3,\"time\":4.0,\"values\":{\"loss\":0.5}}",
                            "{\"phase\":\"train\",\"st")); // cut off by a kill
            try (JsonlMetricSink sink = JsonlMetricSink.resume(file, 2)) {
                assertEquals(3, sink.history().size());
                assertEquals(0.7, sink.history().get(1).value("loss"), "the last copy wins");
                sink.record("train", 3, Map.of("loss", 0.4));
            }
            List<MetricRecord> read = MetricsLog.read(file);
            assertEquals(
                    List.of("train@1", "train@2", "eval@2", "train@3"),
                    read.stream().map(r -> r.phase() + "@" + r.step()).toList());
            assertEquals(0.4, read.get(3).value("loss"));
            assertTrue(read.get(3).time() >= 3.5, "time continues from the kept records");
        }
    }
}
