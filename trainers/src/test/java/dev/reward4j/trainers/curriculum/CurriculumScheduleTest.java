package dev.reward4j.trainers.curriculum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CurriculumScheduleTest {
    @Test
    void evenStagesShareTheStepsAndEveryStepHasOneStage() {
        CurriculumSchedule s = CurriculumSchedule.even(3, 10);
        assertArrayEquals(new long[] {3, 6, 10}, s.ends());
        assertEquals(0, s.stageOf(1));
        assertEquals(0, s.stageOf(3));
        assertEquals(1, s.stageOf(4));
        assertEquals(2, s.stageOf(10));
        assertEquals(2, s.stageOf(11), "past the end: the last stage");
        assertEquals(1, s.firstStep(0));
        assertEquals(7, s.firstStep(2));
        assertEquals(10, s.totalSteps());
        assertEquals(CurriculumSchedule.ofSteps(3, 3, 4), s);
    }

    @Test
    void everyStageNeedsAStep() {
        assertThrows(IllegalArgumentException.class, () -> CurriculumSchedule.even(4, 3));
        assertThrows(IllegalArgumentException.class, () -> CurriculumSchedule.ofSteps(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CurriculumSchedule(new long[0]));
    }
}
