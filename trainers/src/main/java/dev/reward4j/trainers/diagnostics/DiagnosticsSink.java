package dev.reward4j.trainers.diagnostics;

import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.metrics.MetricSink;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metric sink that adds the likelihood-displacement trajectory metrics to every record holding
 * {@link MetricNames#LOGPS_CHOSEN} and {@link MetricNames#LOGPS_REJECTED} ({@link
 * MetricNames#LOGPS_CHOSEN_CHANGE}, {@link MetricNames#LOGPS_MARGIN_CHANGE}, {@link
 * MetricNames#LIKELIHOOD_DISPLACEMENT}) and forwards it: one {@link DisplacementMonitor} per phase
 * ({@link DisplacementMonitor#forTraining()} for {@code train}, {@link
 * DisplacementMonitor#forEvaluation()} for the others). Works at log time on the values the loop
 * already reduced, so it costs no device work. The first time a phase's flag rises it logs a
 * warning with the trajectory so far.
 */
public final class DiagnosticsSink implements MetricSink {
    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsSink.class);

    private final MetricSink downstream;
    private final Map<String, DisplacementMonitor> monitors = new HashMap<>();
    private final Set<String> warned = new HashSet<>();

    /** Wraps {@code downstream} (closed with this sink). */
    public DiagnosticsSink(MetricSink downstream) {
        this.downstream = Objects.requireNonNull(downstream, "diagnostics: downstream sink");
    }

    @Override
    public void record(String phase, long step, Map<String, Double> values) {
        Double c = values.get(MetricNames.LOGPS_CHOSEN);
        Double r = values.get(MetricNames.LOGPS_REJECTED);
        if (c == null || r == null || !Double.isFinite(c) || !Double.isFinite(r)) {
            downstream.record(phase, step, values);
            return;
        }
        DisplacementMonitor m =
                monitors.computeIfAbsent(
                        phase,
                        p ->
                                p.equals("train")
                                        ? DisplacementMonitor.forTraining()
                                        : DisplacementMonitor.forEvaluation());
        DisplacementMonitor.Observation o = m.observe(step, c, r);
        Map<String, Double> out = new LinkedHashMap<>(values);
        out.put(MetricNames.LOGPS_CHOSEN_CHANGE, o.chosenChange());
        out.put(MetricNames.LOGPS_MARGIN_CHANGE, o.marginChange());
        out.put(MetricNames.LIKELIHOOD_DISPLACEMENT, o.displaced() ? 1.0 : 0.0);
        if (o.displaced() && warned.add(phase)) {
            LOG.warn(
                    "diagnostics ({}): likelihood displacement at step {}: the chosen log-prob"
                            + " changed by {} while the log-prob margin changed by {}",
                    phase,
                    step,
                    String.format(java.util.Locale.ROOT, "%.4f", o.chosenChange()),
                    String.format(java.util.Locale.ROOT, "%+.4f", o.marginChange()));
        }
        downstream.record(phase, step, out);
    }

    /** The monitor of {@code phase}, or null when the phase logged no log-probs yet. */
    public DisplacementMonitor monitor(String phase) {
        return monitors.get(phase);
    }

    @Override
    public void close() {
        downstream.close();
    }
}
