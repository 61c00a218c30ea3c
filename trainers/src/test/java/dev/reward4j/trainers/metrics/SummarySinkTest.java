package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SummarySinkTest {

    @Nested
    class Tracking {
        @Test
        void keepsLastValuesAndBestEvalValuesInTheRightDirection() {
            SummarySink sink = new SummarySink();
            sink.record("train", 10, Map.of("loss", 0.6));
            sink.record("eval", 10, Map.of("loss", 0.5, "accuracy", 0.7, "rewards/margin", 1.0));
            sink.record("train", 20, Map.of("loss", 0.4));
            sink.record("eval", 20, Map.of("loss", 0.55, "accuracy", 0.8, "ece", Double.NaN));
            RunSummary s = sink.summarize(Duration.ofSeconds(4), 4000, 80, Map.of("truncated", 3L));

            assertEquals(20, s.steps());
            assertEquals(Map.of("loss", 0.4), s.finalTrain());
            assertEquals(0.55, s.finalEval().get("loss"));
            assertEquals(new RunSummary.Best(0.5, 10), s.best().get("loss"));
            assertEquals(new RunSummary.Best(0.8, 20), s.best().get("accuracy"));
            assertFalse(s.best().containsKey("rewards/margin"), "a margin has no 'best'");
            assertFalse(s.best().containsKey("ece"), "NaN is never best");
            assertEquals(1000.0, s.tokensPerSecond(), 1e-12);
            assertEquals(20.0, s.examplesPerSecond(), 1e-12);
        }

        @Test
        void directionOfKnownMetricNames() {
            assertEquals(-1, SummarySink.direction("loss"));
            assertEquals(-1, SummarySink.direction("eval_loss"));
            assertEquals(-1, SummarySink.direction("ece"));
            assertEquals(1, SummarySink.direction("policy/ranking_accuracy"));
            assertEquals(1, SummarySink.direction("ndcg@4"));
            assertEquals(1, SummarySink.direction("kendall_tau"));
            assertEquals(0, SummarySink.direction("lr"));
        }
    }

    @Nested
    class Rendering {
        @Test
        void turnsDataCountersIntoAnOrderedMap() {
            dev.reward4j.core.data.DataCounters c = new dev.reward4j.core.data.DataCounters();
            c.read();
            c.read();
            c.kept();
            c.dropped("f:2", "too long");
            Map<String, Long> m = RunSummary.counters(c);
            assertEquals(2L, m.get("read"));
            assertEquals(1L, m.get("kept"));
            assertEquals(1L, m.get("dropped"));
            assertEquals(
                    java.util.List.of(
                            "read",
                            "kept",
                            "truncated",
                            "prompts truncated",
                            "responses truncated",
                            "eos forced",
                            "dropped",
                            "invalid",
                            "identical after truncation",
                            "tails kept",
                            "skipped",
                            "filtered",
                            "prompts extracted",
                            "completions dropped"),
                    java.util.List.copyOf(m.keySet()));
        }

        @Test
        void rendersThroughputMetricsBestValuesAndDataCounters() {
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("truncated", 3L);
            counters.put("dropped", 1L);
            RunSummary s =
                    new RunSummary(
                            100,
                            Map.of("loss", 0.3),
                            Map.of("accuracy", 0.91),
                            Map.of("accuracy", new RunSummary.Best(0.92, 80)),
                            Duration.ofMillis(2500),
                            10_000,
                            500,
                            counters);
            String text = s.render();
            assertTrue(
                    text.startsWith(
                            "Run summary: 100 steps in 2.5 s (4000 tokens/s, 200.0 examples/s)"),
                    text);
            assertTrue(text.contains("accuracy") && text.contains("0.920000 (step 80)"), text);
            assertTrue(
                    text.indexOf("truncated") < text.indexOf("dropped"),
                    "counters keep their order: " + text);
        }
    }
}
