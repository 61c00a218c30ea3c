package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Nested
    class Values {
        @Test
        void matchesAHandComputedExampleWithFiveBins() {
            // margins d = c - r: 0 (tie, wrong), 0.2, -0.3, 3, -2.5, 1; confidences sigmoid(|d|):
            //   0.5 (bin0, wrong), 0.549834 (bin0, right), 0.574443 (bin0, wrong),
            //   0.952574 (bin4, right), 0.924142 (bin4, wrong), 0.731059 (bin2, right)
            // bin0: acc 1/3, conf 0.541426, gap 0.208092; bin2: acc 1, conf 0.731059, gap 0.268941;
            // bin4: acc 1/2, conf 0.938358, gap 0.438358. ECE = 3/6*0.208092 + 1/6*0.268941 +
            // 2/6*0.438358 = 0.294989
            double[] c = {0, 0.2, 0, 3, 0, 1};
            double[] r = {0, 0, 0.3, 0, 2.5, 0};
            Calibration.Result res = Calibration.of(c, r, 5);

            double conf0 = (0.5 + sigmoid(0.2) + sigmoid(0.3)) / 3;
            double conf4 = (sigmoid(3) + sigmoid(2.5)) / 2;
            double gap0 = Math.abs(1.0 / 3 - conf0);
            double gap2 = Math.abs(1 - sigmoid(1));
            double gap4 = Math.abs(0.5 - conf4);
            assertEquals(3.0 / 6 * gap0 + 1.0 / 6 * gap2 + 2.0 / 6 * gap4, res.ece(), 1e-12);
            assertEquals(0.294989, res.ece(), 1e-6);
            assertEquals(gap4, res.mce(), 1e-12);
            assertEquals(6, res.count());
            assertEquals(5, res.bins().size());
            assertEquals(3, res.bins().get(0).count());
            assertEquals(0, res.bins().get(1).count());
            assertTrue(Double.isNaN(res.bins().get(1).accuracy()));
            assertEquals(0.5, res.bins().get(0).lower());
            assertEquals(0.6, res.bins().get(0).upper(), 1e-15);
            assertEquals(1.0, res.bins().get(4).upper());
        }

        @Test
        void equalsTheSymmetrisedTwoSidedEceForPairsWithoutTies() {
            Random rnd = new Random(11);
            int n = 500;
            int m = 8;
            double[] c = new double[n];
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = rnd.nextGaussian() * 2;
                r[i] = rnd.nextGaussian() * 2 - 0.7;
            }
            // independent two-sided computation: (p, 1) and (1 - p, 0) for every pair, 2m bins over
            // [0, 1]
            int bins = 2 * m;
            double[] cnt = new double[bins];
            double[] conf = new double[bins];
            double[] pos = new double[bins];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(c[i] - r[i]);
                for (double[] e : new double[][] {{p, 1}, {1 - p, 0}}) {
                    int b = Math.min(bins - 1, (int) Math.floor(e[0] * bins));
                    cnt[b]++;
                    conf[b] += e[0];
                    pos[b] += e[1];
                }
            }
            double ece = 0;
            for (int b = 0; b < bins; b++) {
                if (cnt[b] > 0) {
                    ece += cnt[b] / (2.0 * n) * Math.abs(pos[b] / cnt[b] - conf[b] / cnt[b]);
                }
            }
            assertEquals(ece, Calibration.expectedCalibrationError(c, r, m), 1e-12);
        }

        @Test
        void isZeroForAPerfectlyCalibratedBin() {
            // four pairs at |d| = ln 3 (confidence 0.75 exactly), three right and one wrong:
            // accuracy 0.75
            double d = Math.log(3);
            Calibration.Result res =
                    Calibration.of(new double[] {d, d, d, 0}, new double[] {0, 0, 0, d}, 10);
            assertEquals(0.0, res.ece(), 1e-12);
        }

        @Test
        void isNaNForNoPairs() {
            assertTrue(Double.isNaN(Calibration.of(new double[0], new double[0]).ece()));
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsZeroBins() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Calibration.of(new double[] {1}, new double[] {0}, 0));
        }
    }
}
