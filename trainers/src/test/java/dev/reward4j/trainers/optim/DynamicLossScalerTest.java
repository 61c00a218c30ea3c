package dev.reward4j.trainers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reward4j.trainers.optim.LossScaler.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DynamicLossScalerTest {
    @Nested
    class Rules {
        @Test
        void backsOffAndSkipsOnOverflow() {
            DynamicLossScaler s = new DynamicLossScaler(1024, 2, 0.5, 3, 5);
            assertEquals(Verdict.SKIP, s.update(false));
            assertEquals(512, s.scale());
            assertEquals(1, s.totalSkips());
        }

        @Test
        void growsAfterTheIntervalOfFiniteSteps() {
            DynamicLossScaler s = new DynamicLossScaler(1024, 2, 0.5, 3, 5);
            s.update(true);
            s.update(true);
            assertEquals(1024, s.scale());
            assertEquals(Verdict.APPLY, s.update(true));
            assertEquals(2048, s.scale());
        }

        @Test
        void failsAfterTooManySkipsInARow() {
            DynamicLossScaler s = new DynamicLossScaler(1024, 2, 0.5, 3, 2);
            s.update(false);
            s.update(false);
            assertEquals(Verdict.FAIL, s.update(false));
        }

        @Test
        void restoresItsState() {
            DynamicLossScaler s = new DynamicLossScaler(1024, 2, 0.5, 3, 2);
            s.update(false);
            s.update(true);
            DynamicLossScaler t = DynamicLossScaler.defaults();
            t.restore(s.state());
            assertEquals(512, t.scale());
            t.update(true);
            t.update(true); // third finite in a row with interval 3? t has interval 2000: only
            // counters restored
            assertEquals(512, t.scale());
        }
    }

    @Nested
    class TorchGradScalerSequences {
        /**
         * torch.amp.GradScaler.update: an inf/nan step multiplies the scale by backoff and resets
         * the growth tracker; a finite step increments it, and when it reaches growth_interval the
         * scale is multiplied by growth and the tracker reset. Hand-computed for initial scale 8,
         * interval 3 (F = non-finite gradients).
         */
        @Test
        void followsTheHandComputedScaleSequence() {
            DynamicLossScaler s = new DynamicLossScaler(8, 2, 0.5, 3, 5);
            boolean[] finite = {
                true, true, false, true, true, true, true, false, false, true, true, true
            };
            double[] scales = {8, 8, 4, 4, 4, 8, 8, 4, 2, 2, 2, 4};
            Verdict[] verdicts = {
                Verdict.APPLY, Verdict.APPLY, Verdict.SKIP, Verdict.APPLY, Verdict.APPLY,
                Verdict.APPLY, Verdict.APPLY, Verdict.SKIP, Verdict.SKIP, Verdict.APPLY,
                Verdict.APPLY, Verdict.APPLY
            };
            for (int i = 0; i < finite.length; i++) {
                assertEquals(verdicts[i], s.update(finite[i]), "verdict of step " + (i + 1));
                assertEquals(scales[i], s.scale(), "scale after step " + (i + 1));
            }
            assertEquals(3, s.totalSkips());
        }

        @Test
        void defaultsAreTorchsAndGrowOnlyAtTheTwoThousandthFiniteStep() {
            DynamicLossScaler s = DynamicLossScaler.defaults();
            assertEquals(65536, s.scale()); // init_scale 2^16
            for (int i = 1; i < 2000; i++) {
                s.update(true);
            }
            assertEquals(65536, s.scale()); // 1999 finite steps: no growth yet
            s.update(true);
            assertEquals(131072, s.scale()); // growth_factor 2 at growth_interval 2000
            s.update(false);
            assertEquals(65536, s.scale()); // backoff_factor 0.5
            for (int i = 1; i < 2000; i++) {
                s.update(true);
            }
            assertEquals(65536, s.scale()); // the tracker restarted after the overflow
            s.update(true);
            assertEquals(131072, s.scale());
        }
    }

    @Nested
    class Float32 {
        @Test
        void noScalingFailsOnNonFiniteGradients() {
            assertEquals(Verdict.FAIL, LossScaler.none().update(false));
            assertEquals(Verdict.APPLY, LossScaler.none().update(true));
            assertEquals(1.0, LossScaler.none().scale());
        }
    }
}
