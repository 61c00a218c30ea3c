package dev.reward4j.trainers.metrics;

import dev.reward4j.core.util.Checks;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress for a run of {@code totalSteps} optimizer steps: a progress bar from the
 * maintained {@code me.tongfei:progressbar} library ({@link ProgressMode#BAR}), plain lines ({@link
 * ProgressMode#LINES}, for CI and non-TTY output) or nothing ({@link ProgressMode#OFF}). The bar
 * shows the step, rate, ETA and a few headline metrics ({@link #HEADLINE}); eval records update the
 * same message with an {@code eval} prefix.
 */
public final class ConsoleProgressSink implements MetricSink {
    /**
     * Metrics shown (in this order, when present) on the bar and in lines; other metrics are shown
     * only in lines.
     */
    public static final List<String> HEADLINE =
            List.of(
                    MetricNames.LOSS,
                    MetricNames.ACCURACY,
                    MetricNames.MARGIN,
                    MetricNames.LR,
                    MetricNames.GRAD_NORM);

    private final ProgressMode mode;
    private final PrintStream out;
    private final long totalSteps;
    private final ProgressBar bar;
    private String lastEval = "";

    private ConsoleProgressSink(String task, long totalSteps, ProgressMode mode, PrintStream out) {
        Checks.argument(
                totalSteps >= 0,
                () -> "progress: totalSteps must be >= 0 (got " + totalSteps + ")");
        this.mode = mode;
        this.out = out;
        this.totalSteps = totalSteps;
        this.bar =
                mode == ProgressMode.BAR
                        ? new ProgressBarBuilder()
                                .setTaskName(task)
                                .setInitialMax(totalSteps)
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUnit(" steps", 1)
                                .setUpdateIntervalMillis(500)
                                .setConsumer(new ConsoleProgressBarConsumer(out))
                                .build()
                        : null;
    }

    /** A sink writing to {@code System.err} in {@code mode}. */
    public static ConsoleProgressSink create(String task, long totalSteps, ProgressMode mode) {
        return new ConsoleProgressSink(task, totalSteps, mode, System.err);
    }

    /** A sink writing to {@code out} in {@code mode} (tests, custom consoles). */
    public static ConsoleProgressSink create(
            String task, long totalSteps, ProgressMode mode, PrintStream out) {
        return new ConsoleProgressSink(task, totalSteps, mode, out);
    }

    @Override
    public void record(String phase, long step, Map<String, Double> values) {
        switch (mode) {
            case OFF -> {}
            case LINES ->
                    out.println(
                            String.format(
                                    Locale.ROOT,
                                    "[%s] step %d/%d %s",
                                    phase,
                                    step,
                                    totalSteps,
                                    format(values, false)));
            case BAR -> {
                if ("train".equals(phase)) {
                    bar.stepTo(step);
                    bar.setExtraMessage(format(values, true) + lastEval);
                } else {
                    lastEval = " | " + phase + " " + format(values, true);
                }
            }
        }
    }

    /**
     * Formats {@code values} as {@code key=value} pairs with 4 significant digits ({@code
     * headlineOnly}: HEADLINE).
     */
    static String format(Map<String, Double> values, boolean headlineOnly) {
        StringJoiner j = new StringJoiner(" ");
        for (String key : HEADLINE) {
            if (values.containsKey(key)) {
                j.add(key + "=" + number(values.get(key)));
            }
        }
        if (!headlineOnly) {
            values.forEach(
                    (k, v) -> {
                        if (!HEADLINE.contains(k)) {
                            j.add(k + "=" + number(v));
                        }
                    });
        }
        return j.toString();
    }

    private static String number(Double v) {
        return v == null ? "null" : String.format(Locale.ROOT, "%.4g", v);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
