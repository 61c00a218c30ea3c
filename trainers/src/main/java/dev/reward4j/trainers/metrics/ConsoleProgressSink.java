package dev.reward4j.trainers.metrics;

import dev.reward4j.core.util.Checks;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Console progress for a run of {@code totalSteps} optimizer steps (on standard error, so results
 * on standard output stay clean): an in-place progress bar ({@link ProgressMode#BAR}), one plain
 * line per record ({@link ProgressMode#LINES}, for CI and redirected output) or nothing ({@link
 * ProgressMode#OFF}).
 *
 * <p>The bar is one line of at most {@code width} (80) columns, redrawn on each record:
 *
 * <pre>
 * train  37% [#################.............................] 370/1000 eta 2:21 loss 0.612 | eval@300 acc 0.780
 * </pre>
 *
 * <p>When the line would not fit, the training accuracy, then the latest eval, then the loss are
 * left out; the bar keeps at least 10 columns. An eval record updates the line at once, labelled
 * with its step. {@link #close()} ends the line, so what is printed afterwards (the summary) starts
 * on a line of its own. The bar is drawn here rather than by a progress-bar library because the one
 * the project used collapsed its bar to {@code [ ]} as soon as a message was shown at 80 columns.
 *
 * <p>A line is {@code [train] step 370/1000 (37%) loss=0.6123 rewards/accuracies=0.8125
 * rewards/margins=1.234 lr=9.000e-06 grad_norm=1.320 eta 2:21}: the {@value #LINE_METRICS} most
 * useful metrics present, in the order of {@link #HEADLINE}; {@code metrics.jsonl} has them all.
 */
public final class ConsoleProgressSink implements MetricSink {
    /** Metrics shown per line, at most. */
    public static final int LINE_METRICS = 5;

    /**
     * The metrics a line shows, in this order when present ({@link #LINE_METRICS} of them); a key
     * ending in {@code @} matches every cut-off ({@code ndcg@k}).
     */
    public static final List<String> HEADLINE =
            List.of(
                    MetricNames.LOSS,
                    MetricNames.ACCURACY,
                    MetricNames.MARGIN,
                    "kl",
                    "mae",
                    MetricNames.NDCG_PREFIX,
                    MetricNames.KENDALL_TAU,
                    "pair_accuracy",
                    MetricNames.LR,
                    MetricNames.GRAD_NORM,
                    MetricNames.ECE,
                    MetricNames.PREFERENCE_NLL,
                    MetricNames.REWARD_CHOSEN,
                    MetricNames.REWARD_REJECTED);

    /** Columns of the bar line. */
    public static final int WIDTH = 80;

    private final ProgressMode mode;
    private final PrintStream out;
    private final String task;
    private final long totalSteps;
    private final int width;
    private long startNanos = -1;
    private long startStep;
    private long step;
    private Map<String, Double> train = Map.of();
    private String eval = "";
    private int drawn;

    private ConsoleProgressSink(
            String task, long totalSteps, ProgressMode mode, PrintStream out, int width) {
        Checks.argument(
                totalSteps >= 0,
                () -> "progress: totalSteps must be >= 0 (got " + totalSteps + ")");
        this.mode = mode;
        this.out = out;
        this.task = task;
        this.totalSteps = totalSteps;
        this.width = width;
    }

    /** A sink writing to {@code System.err} in {@code mode}. */
    public static ConsoleProgressSink create(String task, long totalSteps, ProgressMode mode) {
        return new ConsoleProgressSink(task, totalSteps, mode, System.err, WIDTH);
    }

    /** A sink writing to {@code out} in {@code mode} (tests, custom consoles). */
    public static ConsoleProgressSink create(
            String task, long totalSteps, ProgressMode mode, PrintStream out) {
        return new ConsoleProgressSink(task, totalSteps, mode, out, WIDTH);
    }

    @Override
    public synchronized void record(String phase, long step, Map<String, Double> values) {
        if (mode == ProgressMode.OFF) {
            return;
        }
        if (startNanos < 0) {
            startNanos = System.nanoTime();
            startStep = Math.max(0, step - 1);
        }
        boolean isTrain = "train".equals(phase);
        if (isTrain) {
            this.step = step;
        }
        if (mode == ProgressMode.LINES) {
            out.println(line(phase, step, values));
            out.flush();
            return;
        }
        if (isTrain) {
            train = values;
        } else {
            eval = phase + "@" + step + " " + shortMetric(values);
        }
        draw();
    }

    /** One line of {@link ProgressMode#LINES}. */
    String line(String phase, long step, Map<String, Double> values) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(phase).append("] step ").append(step).append('/').append(totalSteps);
        if (totalSteps > 0) {
            sb.append(String.format(Locale.ROOT, " (%d%%)", 100 * step / totalSteps));
        }
        String metrics = format(values, LINE_METRICS);
        if (!metrics.isEmpty()) {
            sb.append(' ').append(metrics);
        }
        if ("train".equals(phase) && step < totalSteps) {
            String eta = eta();
            if (!eta.isEmpty()) {
                sb.append(" eta ").append(eta);
            }
        }
        return sb.toString();
    }

    private void draw() {
        String pct =
                String.format(
                        Locale.ROOT, "%3d%%", totalSteps == 0 ? 100 : 100 * step / totalSteps);
        String counts = String.format(Locale.ROOT, "%d/%d", step, totalSteps);
        String eta = eta();
        // shown in this order; left out in the order acc, eval, loss when the line is too long
        String loss =
                train.containsKey(MetricNames.LOSS)
                        ? "loss " + number(train.get(MetricNames.LOSS))
                        : null;
        String acc =
                train.containsKey(MetricNames.ACCURACY)
                        ? "acc " + number(train.get(MetricNames.ACCURACY))
                        : null;
        String ev = eval.isEmpty() ? null : "| " + eval;
        String line;
        for (int drop = 0; ; drop++) {
            List<String> extras = new ArrayList<>();
            for (String part : new String[] {loss, acc, ev}) {
                boolean dropped =
                        (part == acc && drop >= 1)
                                || (part == ev && drop >= 2)
                                || (part == loss && drop >= 3);
                if (part != null && !dropped) {
                    extras.add(part);
                }
            }
            String tail =
                    " "
                            + counts
                            + (eta.isEmpty() ? "" : " eta " + eta)
                            + (extras.isEmpty() ? "" : " " + String.join(" ", extras));
            String head = task + " " + pct + " [";
            int bar = width - 1 - head.length() - 1 - tail.length();
            if (bar >= 10 || drop >= 3) {
                bar = Math.max(bar, 10);
                int filled = totalSteps == 0 ? bar : (int) (bar * step / Math.max(1, totalSteps));
                line = head + "#".repeat(filled) + ".".repeat(bar - filled) + "]" + tail;
                break;
            }
        }
        if (line.length() > width - 1) {
            line = line.substring(0, width - 1);
        }
        int pad = Math.max(0, drawn - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        drawn = line.length();
    }

    /** The shortest useful label of a record: its accuracy, else its loss. */
    private static String shortMetric(Map<String, Double> values) {
        if (values.containsKey(MetricNames.ACCURACY)) {
            return "acc " + number(values.get(MetricNames.ACCURACY));
        }
        if (values.containsKey(MetricNames.LOSS)) {
            return "loss " + number(values.get(MetricNames.LOSS));
        }
        return "";
    }

    private double elapsedSeconds() {
        return startNanos < 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
    }

    private String eta() {
        long done = step - startStep;
        double elapsed = elapsedSeconds();
        if (done <= 0 || elapsed <= 0 || step >= totalSteps) {
            return "";
        }
        return clock((totalSteps - step) * elapsed / done);
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * Formats at most {@code max} of {@code values} as {@code key=value} pairs with 4 significant
     * digits, chosen and ordered by {@link #HEADLINE}.
     */
    static String format(Map<String, Double> values, int max) {
        StringJoiner j = new StringJoiner(" ");
        int n = 0;
        for (String key : HEADLINE) {
            for (Map.Entry<String, Double> e : values.entrySet()) {
                boolean match =
                        key.endsWith("@") ? e.getKey().startsWith(key) : e.getKey().equals(key);
                if (match && n < max) {
                    j.add(e.getKey() + "=" + number4(e.getValue()));
                    n++;
                }
            }
        }
        return j.toString();
    }

    private static String number(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String number4(Double v) {
        return v == null || !Double.isFinite(v) ? "nan" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** Ends the bar's line, so the next output starts on a line of its own. */
    @Override
    public synchronized void close() {
        if (mode == ProgressMode.BAR && drawn > 0) {
            out.println();
            out.flush();
            drawn = 0;
        }
    }
}
