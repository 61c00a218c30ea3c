package dev.reward4j.trainers.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reward4j.trainers.metrics.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportInputTest {

    @Nested
    class Building {
        @Test
        void summaryFillsTheTableWithFinalEvalValuesAndAddsRunFacts() {
            RunSummary s =
                    new RunSummary(
                            50,
                            Map.of("loss", 0.3),
                            Map.of("accuracy", 0.9),
                            Map.of(),
                            Duration.ofSeconds(10),
                            5000,
                            200,
                            Map.of("truncated", 2L));
            ReportInput in =
                    ReportInput.of("t", List.of()).withRunInfo(Map.of("model", "m")).withSummary(s);
            assertEquals(Map.of("accuracy", 0.9), in.finalMetrics());
            assertEquals("m", in.runInfo().get("model"));
            assertEquals("500", in.runInfo().get("tokens/s"));
            assertEquals("2", in.runInfo().get("data: truncated"));
        }

        @Test
        void readsTheCurvesFromAMetricsFile(@TempDir Path dir) {
            Path f = dir.resolve("m.jsonl");
            HtmlReportTest.syntheticRun(f);
            assertEquals(66, ReportInput.fromMetricsFile("t", f).metrics().size());
        }

        @Test
        void rejectsACeilingOutsideZeroOne() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ReportInput.of("t", List.of()).withCeilingAccuracy(1.5));
        }
    }
}
