package dev.reward4j.trainers.app.report;

import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.MetricRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts as xchart {@link XYChart}s (render them with {@code BitmapEncoder}). Each
 * method returns empty when there is nothing to draw (no finite point), so a report never fails on
 * a missing series.
 */
public final class Charts {
    /** Chart width in pixels. */
    public static final int WIDTH = 800;

    /** Chart height in pixels. */
    public static final int HEIGHT = 500;

    static final Color TRAIN = new Color(31, 119, 180);
    static final Color EVAL = new Color(214, 39, 40);
    static final Color CHOSEN = new Color(44, 160, 44);
    static final Color REJECTED = new Color(214, 39, 40);
    static final Color REFERENCE = new Color(120, 120, 120);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** TensorBoard's default smoothing weight. */
    public static final double SMOOTHING = 0.6;

    /**
     * Curve of {@code metric} over steps: one series per phase ({@code train}, {@code eval}),
     * points with non-finite values left out; a training series of more than 10 points is drawn
     * faint with its smoothed curve ({@link #smooth}) over it. With {@code ceiling}, a dashed
     * horizontal line at that value.
     */
    public static Optional<XYChart> curve(
            List<MetricRecord> records, String metric, String title, OptionalDouble ceiling) {
        XYChart chart = base(title, "step", metric);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        if (!metric.contains("loss")) {
            // rising curves end top-right: keep the legend out of their way
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        }
        boolean any = false;
        for (String phase : List.of("train", "eval")) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (MetricRecord r : records) {
                double v = r.value(metric);
                if (phase.equals(r.phase()) && Double.isFinite(v)) {
                    x.add((double) r.step());
                    y.add(v);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            any = true;
            boolean smoothed = phase.equals("train") && x.size() > 10;
            Color color = phase.equals("train") ? TRAIN : EVAL;
            XYSeries s = chart.addSeries(smoothed ? phase + " (raw)" : phase, x, y);
            s.setLineColor(smoothed ? faint(color) : color);
            s.setMarkerColor(color);
            s.setMarker(
                    phase.equals("train") && x.size() > 50
                            ? SeriesMarkers.NONE
                            : SeriesMarkers.CIRCLE);
            s.setLineWidth(phase.equals("train") ? 1.5f : 2.5f);
            if (smoothed) {
                XYSeries m = chart.addSeries(phase + " (smoothed " + SMOOTHING + ")", x, smooth(y));
                m.setLineColor(color);
                m.setMarker(SeriesMarkers.NONE);
                m.setLineWidth(2f);
            }
        }
        if (!any) {
            return Optional.empty();
        }
        if (ceiling.isPresent()) {
            double minStep = records.stream().mapToLong(MetricRecord::step).min().orElse(0);
            double maxStep = records.stream().mapToLong(MetricRecord::step).max().orElse(1);
            XYSeries c =
                    chart.addSeries(
                            String.format(
                                    java.util.Locale.ROOT, "ceiling %.3f", ceiling.getAsDouble()),
                            new double[] {minStep, Math.max(maxStep, minStep + 1)},
                            new double[] {ceiling.getAsDouble(), ceiling.getAsDouble()});
            c.setLineColor(REFERENCE);
            c.setLineStyle(SeriesLines.DASH_DASH);
            c.setMarker(SeriesMarkers.NONE);
        }
        return Optional.of(chart);
    }

    /**
     * TensorBoard's smoothing: a debiased exponential moving average with weight {@code SMOOTHING},
     * {@code s_t = (w s_{t-1} + (1 - w) y_t)} divided by {@code 1 - w^t}.
     */
    public static List<Double> smooth(List<Double> y) {
        List<Double> out = new ArrayList<>(y.size());
        double last = 0;
        for (int i = 0; i < y.size(); i++) {
            last = SMOOTHING * last + (1 - SMOOTHING) * y.get(i);
            out.add(last / (1 - Math.pow(SMOOTHING, i + 1)));
        }
        return out;
    }

    private static Color faint(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 70);
    }

    /**
     * Mean chosen and rejected rewards over steps (the {@code rewards/chosen} and {@code
     * rewards/rejected} records of training, smoothed beside the raw values, and of evaluation).
     */
    public static Optional<XYChart> rewardCurves(List<MetricRecord> records) {
        XYChart chart = base("Mean rewards: chosen vs rejected", "step", "reward");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        boolean any = false;
        for (String metric :
                List.of(
                        dev.reward4j.trainers.metrics.MetricNames.REWARD_CHOSEN,
                        dev.reward4j.trainers.metrics.MetricNames.REWARD_REJECTED)) {
            Color color = metric.endsWith("chosen") ? CHOSEN : REJECTED;
            for (String phase : List.of("train", "eval")) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (MetricRecord r : records) {
                    double v = r.value(metric);
                    if (phase.equals(r.phase()) && Double.isFinite(v)) {
                        x.add((double) r.step());
                        y.add(v);
                    }
                }
                if (x.isEmpty()) {
                    continue;
                }
                any = true;
                String name = phase + " " + metric.substring(metric.indexOf('/') + 1);
                boolean smoothed = phase.equals("train") && x.size() > 10;
                XYSeries s = chart.addSeries(smoothed ? name + " (raw)" : name, x, y);
                s.setLineColor(smoothed ? faint(color) : color);
                s.setMarkerColor(color);
                s.setMarker(phase.equals("eval") ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                if (phase.equals("eval")) {
                    s.setLineStyle(SeriesLines.DASH_DASH);
                }
                if (smoothed) {
                    XYSeries m = chart.addSeries(name + " (smoothed)", x, smooth(y));
                    m.setLineColor(color);
                    m.setMarker(SeriesMarkers.NONE);
                    m.setLineWidth(2f);
                }
            }
        }
        return any ? Optional.of(chart) : Optional.empty();
    }

    /**
     * Overlaid histograms of chosen and rejected rewards on shared equal-width bins over their
     * joint range (step-area series, semi-transparent), y = fraction of each set per bin.
     */
    public static Optional<XYChart> rewardHistogram(double[] chosen, double[] rejected, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : List.of(chosen, rejected)) {
            for (double v : a) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(lo <= hi)) {
            return Optional.empty();
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        XYChart chart = base("Reward distribution (held-out)", "reward", "fraction of responses");
        chart.getStyler().setXAxisDecimalPattern("0.00");
        addHistogram(chart, "chosen", chosen, bins, lo, hi, CHOSEN);
        addHistogram(chart, "rejected", rejected, bins, lo, hi, REJECTED);
        return Optional.of(chart);
    }

    /**
     * Bin fractions of {@code values} on {@code bins} equal-width bins over [lo, hi] (last bin
     * closed).
     */
    static double[] fractions(double[] values, int bins, double lo, double hi) {
        double[] f = new double[bins];
        double width = (hi - lo) / bins;
        for (double v : values) {
            int b = (int) Math.floor((v - lo) / width);
            f[Math.max(0, Math.min(bins - 1, b))] += 1.0 / values.length;
        }
        return f;
    }

    private static void addHistogram(
            XYChart chart,
            String name,
            double[] values,
            int bins,
            double lo,
            double hi,
            Color color) {
        if (values.length == 0) {
            return;
        }
        double[] f = fractions(values, bins, lo, hi);
        double width = (hi - lo) / bins;
        // A step series needs the right edge of the last bin: repeat the last value there.
        double[] x = new double[bins + 1];
        double[] y = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            x[b] = lo + b * width;
            y[b] = f[Math.min(b, bins - 1)];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setLineColor(color);
        s.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 90));
        s.setMarker(SeriesMarkers.NONE);
    }

    /**
     * Reliability diagram: mean confidence vs accuracy of every non-empty {@link Calibration} bin,
     * the diagonal of perfect calibration, and the ECE in the title.
     */
    public static Optional<XYChart> reliability(Calibration.Result calibration) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Calibration.Bin b : calibration.bins()) {
            if (b.count() > 0) {
                x.add(b.meanConfidence());
                y.add(b.accuracy());
            }
        }
        if (x.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart =
                base(
                        String.format(
                                java.util.Locale.ROOT,
                                "Calibration of sigmoid(r_c - r_r): ECE %.4f (%d bins)",
                                calibration.ece(),
                                calibration.bins().size()),
                        "mean confidence max(p, 1-p)",
                        "accuracy");
        chart.getStyler().setXAxisMin(0.5).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        XYSeries d =
                chart.addSeries(
                        "perfect calibration", new double[] {0.5, 1.0}, new double[] {0.5, 1.0});
        d.setLineColor(REFERENCE);
        d.setLineStyle(SeriesLines.DASH_DASH);
        d.setMarker(SeriesMarkers.NONE);
        XYSeries s = chart.addSeries("model", x, y);
        s.setLineColor(TRAIN);
        s.setMarkerColor(TRAIN);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineWidth(2f);
        return Optional.of(chart);
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setPlotGridLinesStroke(new BasicStroke(1f));
        chart.getStyler().setMarkerSize(6);
        return chart;
    }
}
