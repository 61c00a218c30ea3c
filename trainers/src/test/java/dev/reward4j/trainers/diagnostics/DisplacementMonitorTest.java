package dev.reward4j.trainers.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.metrics.MetricSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisplacementMonitorTest {
    @Test
    void theFlagRisesWhenTheChosenLogProbFallsWhileTheMarginRises() {
        DisplacementMonitor m = DisplacementMonitor.forEvaluation();
        assertFalse(m.observe(1, -10, -12).displaced()); // margin 2
        assertFalse(m.observe(2, -9, -13).displaced()); // chosen up, margin up: learning
        DisplacementMonitor.Observation o = m.observe(3, -11, -16); // chosen down, margin 5
        assertTrue(o.displaced());
        assertEquals(-1, o.chosenChange(), 1e-12);
        assertEquals(3, o.marginChange(), 1e-12);
        // both fall with a shrinking margin: not displacement (the model gets worse)
        assertFalse(m.observe(4, -12, -13).displaced());
        assertEquals(4, m.trajectory().size());
    }

    @Test
    void trainingValuesAreSmoothedAndTheToleranceIsHonoured() {
        DisplacementMonitor m = new DisplacementMonitor(0.5, 0.5);
        m.observe(1, -10, -10);
        // raw chosen -11 (drop 1), smoothed -10.5 (drop 0.5, not beyond the tolerance)
        DisplacementMonitor.Observation o = m.observe(2, -11, -14);
        assertEquals(-0.5, o.chosenChange(), 1e-12);
        assertFalse(o.displaced());
        assertTrue(m.observe(3, -11, -14).displaced()); // smoothed -10.75
        assertThrows(IllegalArgumentException.class, () -> new DisplacementMonitor(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DisplacementMonitor(1, -1));
    }

    @Test
    void theSinkAddsTheTrajectoryMetricsPerPhaseAndPassesOtherRecordsThrough() {
        List<Map<String, Double>> seen = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        MetricSink down =
                (phase, step, values) -> {
                    phases.add(phase);
                    seen.add(values);
                };
        try (DiagnosticsSink sink = new DiagnosticsSink(down)) {
            sink.record(
                    "eval",
                    10,
                    Map.of(MetricNames.LOGPS_CHOSEN, -5.0, MetricNames.LOGPS_REJECTED, -6.0));
            sink.record(
                    "train",
                    10,
                    Map.of(MetricNames.LOGPS_CHOSEN, -1.0, MetricNames.LOGPS_REJECTED, -1.0));
            sink.record(
                    "eval",
                    20,
                    Map.of(MetricNames.LOGPS_CHOSEN, -7.0, MetricNames.LOGPS_REJECTED, -10.0));
            sink.record("train", 20, Map.of("loss", 0.5));
        }
        assertEquals(0.0, seen.get(0).get(MetricNames.LIKELIHOOD_DISPLACEMENT));
        assertEquals(0.0, seen.get(1).get(MetricNames.LOGPS_CHOSEN_CHANGE));
        Map<String, Double> e2 = seen.get(2);
        assertEquals(-2.0, e2.get(MetricNames.LOGPS_CHOSEN_CHANGE), 1e-12);
        assertEquals(2.0, e2.get(MetricNames.LOGPS_MARGIN_CHANGE), 1e-12);
        assertEquals(1.0, e2.get(MetricNames.LIKELIHOOD_DISPLACEMENT));
        assertEquals(Map.of("loss", 0.5), seen.get(3));
        assertEquals(List.of("eval", "train", "eval", "train"), phases);
    }
}
