package dev.reward4j.trainers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Nested
    class Warmup {
        @Test
        void rampsLinearlyFromTheFirstUpdate() {
            LrSchedule s = new LrSchedule.Cosine(1e-3, 10, 100, 0.0);
            assertEquals(1e-4, s.at(1), 1e-15); // peak * 1/10: the first update is not wasted at 0
            assertEquals(5e-4, s.at(5), 1e-15);
            assertEquals(1e-3, s.at(10), 1e-15);
        }

        @Test
        void constantHoldsThePeakAfterWarmup() {
            LrSchedule s = new LrSchedule.Constant(2e-5, 4);
            assertEquals(1e-5, s.at(2), 1e-18);
            assertEquals(2e-5, s.at(5), 0);
            assertEquals(2e-5, s.at(1_000_000), 0);
        }
    }

    @Nested
    class Decay {
        @Test
        void cosineReachesHalfwayAndTheFloor() {
            LrSchedule s = new LrSchedule.Cosine(1e-3, 10, 110, 0.1);
            // floor = 1e-4; halfway (step 60) = floor + (peak - floor) * 0.5
            assertEquals(1e-4 + 9e-4 * 0.5, s.at(60), 1e-15);
            assertEquals(1e-4, s.at(110), 1e-15);
            assertEquals(1e-4, s.at(500), 1e-15);
        }

        @Test
        void linearDecaysProportionally() {
            LrSchedule s = new LrSchedule.Linear(1.0, 0, 4, 0.0);
            assertEquals(0.75, s.at(1), 1e-15);
            assertEquals(0.5, s.at(2), 1e-15);
            assertEquals(0.0, s.at(4), 1e-15);
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsTotalNotAfterWarmup() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new LrSchedule.Linear(1e-3, 10, 10, 0));
            assertEquals("schedule: total_steps (10) must be > warmup_steps (10)", e.getMessage());
        }

        @Test
        void rejectsZeroBasedSteps() {
            assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Constant(1, 0).at(0));
        }
    }
}
