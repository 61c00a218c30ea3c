package dev.reward4j.trainers.app.report;

import dev.reward4j.trainers.metrics.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Writes a self-contained HTML report into a directory: the charts are PNG images inlined as {@code
 * data:} URIs (the page needs no other file; the PNGs are also written beside it), titled by the
 * run's name: loss, accuracy and mean-reward curves over steps (from the metrics JSONL records; a
 * training curve shows its smoothed line over the faint raw one), chosen/rejected reward histograms
 * and the reliability diagram (from a held-out evaluation, when there is one), a table of final
 * metrics with the ceiling accuracy when known, run facts, and the resolved hyperparameters. Charts
 * are drawn headless ({@code java.awt.headless=true}); a chart without data is left out.
 */
public final class HtmlReport {
    /** The HTML file name. */
    public static final String INDEX = "report.html";

    /** Chart file names. */
    public static final String LOSS_PNG = "loss.png";

    /** Accuracy curve file name. */
    public static final String ACCURACY_PNG = "accuracy.png";

    /** Reward histogram file name. */
    public static final String REWARDS_PNG = "rewards.png";

    /** Reliability diagram file name. */
    public static final String CALIBRATION_PNG = "calibration.png";

    /** Mean reward curves file name. */
    public static final String REWARD_CURVES_PNG = "reward-curves.png";

    /** Histogram bins. */
    public static final int HISTOGRAM_BINS = 30;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private HtmlReport() {}

    /**
     * The written report.
     *
     * @param html the HTML file
     * @param images the PNG files written, in page order
     */
    public record Written(Path html, List<Path> images) {
        /** Copies. */
        public Written {
            images = List.copyOf(images);
        }
    }

    /**
     * Writes the report of {@code input} into {@code dir} (created if needed; existing files are
     * replaced).
     */
    public static Written write(Path dir, ReportInput input) {
        try {
            Files.createDirectories(dir);
            Map<String, Optional<XYChart>> charts = new LinkedHashMap<>();
            charts.put(
                    LOSS_PNG,
                    Charts.curve(
                            input.metrics(), MetricNames.LOSS, "Loss", OptionalDouble.empty()));
            charts.put(
                    ACCURACY_PNG,
                    Charts.curve(
                            input.metrics(),
                            MetricNames.ACCURACY,
                            "Pairwise accuracy",
                            input.ceilingAccuracy()));
            charts.put(
                    REWARDS_PNG,
                    input.heldOut()
                            .flatMap(
                                    h ->
                                            Charts.rewardHistogram(
                                                    h.chosenScores(),
                                                    h.rejectedScores(),
                                                    HISTOGRAM_BINS)));
            charts.put(
                    CALIBRATION_PNG,
                    input.heldOut().flatMap(h -> Charts.reliability(h.calibration())));
            charts.put(REWARD_CURVES_PNG, Charts.rewardCurves(input.metrics()));
            List<Path> images = new ArrayList<>();
            StringBuilder figures = new StringBuilder();
            for (Map.Entry<String, Optional<XYChart>> e : charts.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                byte[] png =
                        BitmapEncoder.getBitmapBytes(
                                e.getValue().get(), BitmapEncoder.BitmapFormat.PNG);
                Path file = dir.resolve(e.getKey());
                Files.write(file, png);
                images.add(file);
                figures.append("<figure><img src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(png))
                        .append("\" width=\"")
                        .append(Charts.WIDTH)
                        .append("\" height=\"")
                        .append(Charts.HEIGHT)
                        .append("\" alt=\"")
                        .append(escape(e.getKey()))
                        .append("\"><figcaption>")
                        .append(escape(e.getKey()))
                        .append("</figcaption></figure>\n");
            }
            Path html = dir.resolve(INDEX);
            Files.writeString(html, page(input, figures.toString()), StandardCharsets.UTF_8);
            return new Written(html, images);
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot write the report into " + dir, e);
        }
    }

    private static String page(ReportInput in, String figures) {
        StringBuilder rows = new StringBuilder();
        Map<String, Double> table = new LinkedHashMap<>(in.finalMetrics());
        in.heldOut()
                .ifPresent(
                        h -> h.metrics().forEach((k, v) -> table.putIfAbsent("held-out " + k, v)));
        table.forEach((k, v) -> row(rows, k, number(v)));
        in.ceilingAccuracy()
                .ifPresent(c -> row(rows, "ceiling accuracy (best achievable)", number(c)));
        in.heldOut().ifPresent(h -> row(rows, "held-out pairs", Long.toString(h.pairs())));
        StringBuilder info = new StringBuilder();
        in.runInfo().forEach((k, v) -> row(info, k, escape(v)));
        StringBuilder hyper = new StringBuilder();
        in.hyperparameters().forEach((k, v) -> row(hyper, k, escape(v)));
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + escape(in.title())
                + "</title>\n"
                + "<style>body{font-family:sans-serif;max-width:860px;margin:2em"
                + " auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px"
                + " solid #ccc;padding:4px"
                + " 10px;text-align:left}td.num{text-align:right;font-family:monospace}figure{margin:1em"
                + " 0}.missing{color:#888}</style></head>\n"
                + "<body>\n"
                + "<h1>"
                + escape(in.title())
                + "</h1>\n<h2>Final metrics</h2>\n<table>\n"
                + "<tr><th>metric</th><th>value</th></tr>\n"
                + rows
                + "</table>\n"
                + (info.length() > 0 ? "<h2>Run</h2>\n<table>\n" + info + "</table>\n" : "")
                + "<h2>Charts</h2>\n"
                + (figures.isEmpty() ? "<p class=\"missing\">no metrics recorded</p>\n" : figures)
                + (hyper.length() > 0
                        ? "<h2>Hyperparameters (resolved configuration)</h2>\n<table>\n"
                                + "<tr><th>key</th><th>value</th></tr>\n"
                                + hyper
                                + "</table>\n"
                        : "")
                + "</body></html>\n";
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("<tr><td>")
                .append(escape(key))
                .append("</td><td class=\"num\">")
                .append(value)
                .append("</td></tr>\n");
    }

    private static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
