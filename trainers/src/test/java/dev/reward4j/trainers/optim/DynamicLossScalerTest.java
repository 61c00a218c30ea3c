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
    class Float32 {
        @Test
        void noScalingFailsOnNonFiniteGradients() {
            assertEquals(Verdict.FAIL, LossScaler.none().update(false));
            assertEquals(Verdict.APPLY, LossScaler.none().update(true));
            assertEquals(1.0, LossScaler.none().scale());
        }
    }
}
