package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.MetricNames;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HeldOutEvaluatorTest {

  @Nested
  class HostArrays {
    @Test
    void reportsAccuracyMarginsRewardStatsAndCalibration() {
      // margins {1, -2, 0, 5}: accuracy 2/4 (the tie is wrong), margin mean 1, margin std sqrt(6.5)
      double[] c = {2, 1, 0.5, 4};
      double[] r = {1, 3, 0.5, -1};
      HeldOutResult h = HeldOutEvaluator.evaluate(c, r);
      assertEquals(4, h.pairs());
      assertEquals(0.5, h.accuracy());
      assertEquals(1.0, h.margin().mean(), 1e-15);
      assertEquals(7.5 / 4, h.chosen().mean(), 1e-15);
      assertEquals(Calibration.of(c, r).ece(), h.calibration().ece());
      Map<String, Double> m = h.metrics();
      assertEquals(0.5, m.get(MetricNames.ACCURACY));
      assertEquals(Math.sqrt(6.5), m.get(MetricNames.MARGIN + "_std"), 1e-12);
      assertEquals(h.calibration().ece(), m.get(MetricNames.ECE));
    }
  }
}
