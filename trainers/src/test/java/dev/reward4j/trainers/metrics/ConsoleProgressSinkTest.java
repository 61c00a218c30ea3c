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
        v.put("rewards/accuracies", 0.5);
        v.put("rewards/chosen", 0.1);
        v.put("rewards/margins", 0.25);
        v.put("grad_norm", 1.5);
        v.put("lr", 1e-5);
        v.put("examples_per_s", 20.0);
        return v;
    }

    @Nested
    class Modes {
        @Test
        void linesModePrintsTheFiveMostUsefulMetricsInHeadlineOrder() {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ConsoleProgressSink sink =
                    ConsoleProgressSink.create(
                            "rm",
                            10,
                            ProgressMode.LINES,
                            new PrintStream(buf, true, StandardCharsets.UTF_8))) {
                sink.record("train", 10, values());
                sink.record("eval", 10, Map.of("loss", 0.5, "rewards/accuracies", 0.75));
            }
            assertEquals(
                    "[train] step 10/10 (100%) loss=0.6931 rewards/accuracies=0.5000"
                            + " rewards/margins=0.2500 lr=1.000e-05 grad_norm=1.500\n"
                            + "[eval] step 10/10 (100%) loss=0.5000 rewards/accuracies=0.7500\n",
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
        void barFitsEightyColumnsShowsTheLatestEvalAndEndsItsLineWhenClosed() {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (ConsoleProgressSink sink =
                    ConsoleProgressSink.create(
                            "train",
                            4000,
                            ProgressMode.BAR,
                            new PrintStream(buf, true, StandardCharsets.UTF_8))) {
                for (int s = 1; s <= 2000; s += 999) {
                    sink.record("train", s, values());
                }
                sink.record("eval", 1999, Map.of("rewards/accuracies", 0.8125));
            }
            String out = buf.toString(StandardCharsets.UTF_8);
            assertTrue(out.endsWith("\n"), "the bar's line is ended before anything else");
            String[] frames = out.substring(0, out.length() - 1).split("\r");
            for (String f : frames) {
                assertTrue(f.length() <= 79, f.length() + " columns: " + f);
            }
            String last = frames[frames.length - 1].stripTrailing();
            assertTrue(last.startsWith("train  49% [#"), last);
            assertTrue(last.contains(" 1999/4000 "), last);
            // the training accuracy gives way to the latest eval at 80 columns
            assertTrue(last.endsWith("loss 0.693 | eval@1999 acc 0.813"), last);
            assertTrue(
                    last.matches(".*\\[[#.]{10,}\\].*"), "a bar of at least 10 columns: " + last);
        }

        @Test
        void aNarrowLineDropsTheMetricsBeforeTheBar() {
            String line = ConsoleProgressSink.format(values(), ConsoleProgressSink.LINE_METRICS);
            assertEquals(
                    "loss=0.6931 rewards/accuracies=0.5000 rewards/margins=0.2500 lr=1.000e-05"
                            + " grad_norm=1.500",
                    line);
            assertEquals("1:01:01", ConsoleProgressSink.clock(3661));
            assertEquals("2:05", ConsoleProgressSink.clock(125));
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
