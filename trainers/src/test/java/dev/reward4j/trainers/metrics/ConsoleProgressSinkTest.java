package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConsoleProgressSinkTest {

    static Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("tokens_per_s", 1234.5);
        v.put("loss", 0.693147);
        v.put("accuracy", 0.5);
        return v;
    }

    @Nested
    class Modes {
        @Test
        void linesModePrintsOneLineWithHeadlineMetricsFirst() {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ConsoleProgressSink sink =
                    ConsoleProgressSink.create(
                            "rm",
                            10,
                            ProgressMode.LINES,
                            new PrintStream(buf, true, StandardCharsets.UTF_8))) {
                sink.record("train", 3, values());
            }
            assertEquals(
                    "[train] step 3/10 loss=0.6931 accuracy=0.5000 tokens_per_s=1235\n",
                    buf.toString(StandardCharsets.UTF_8).replace("\r", ""));
        }

        @Test
        void offModePrintsNothing() {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ConsoleProgressSink sink =
                    ConsoleProgressSink.create(
                            "rm",
                            10,
                            ProgressMode.OFF,
                            new PrintStream(buf, true, StandardCharsets.UTF_8))) {
                sink.record("train", 3, values());
            }
            assertEquals(0, buf.size());
        }

        @Test
        void barModeRendersTheTaskAndTheLastStepWhenClosed() {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ConsoleProgressSink sink =
                    ConsoleProgressSink.create(
                            "train-rm",
                            4,
                            ProgressMode.BAR,
                            new PrintStream(buf, true, StandardCharsets.UTF_8))) {
                for (int s = 1; s <= 4; s++) {
                    sink.record("train", s, values());
                }
                sink.record("eval", 4, Map.of("accuracy", 0.8));
            }
            String out = buf.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("train-rm"), out);
            assertTrue(out.contains("100%"), out);
            assertTrue(out.contains("4/4"), out);
            assertTrue(out.contains("loss=0.6931"), out);
        }
    }

    @Nested
    class Parsing {
        @Test
        void parsesModeNamesAndRejectsUnknownOnes() {
            assertEquals(ProgressMode.OFF, ProgressMode.parse(" Off "));
            assertEquals(ProgressMode.LINES, ProgressMode.parse("lines"));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ProgressMode.parse("fancy"));
            assertTrue(e.getMessage().contains("[bar, lines, off, auto]"), e.getMessage());
        }
    }
}
