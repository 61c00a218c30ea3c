package dev.reward4j.trainers.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.DataPosition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagedSourceTest {
    /** Stage s holds the strings "s:i". */
    static List<List<String>> stages(int... sizes) {
        List<List<String>> out = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < sizes[s]; i++) {
                l.add(s + ":" + i);
            }
            out.add(l);
        }
        return out;
    }

    static StagedSource<String, List<String>> source(CurriculumSchedule schedule, int micro) {
        return new StagedSource<>(stages(5, 3, 4), schedule, 7, 2, micro, (ex, m) -> ex);
    }

    @Test
    void everyMicroBatchOfAStepComesFromThatStepsStage() {
        // steps 1-2 stage 0, 3 stage 1, 4-5 stage 2; two micro-batches per step
        StagedSource<String, List<String>> src = source(CurriculumSchedule.ofSteps(2, 1, 2), 2);
        List<String> stageOfBatch = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<String> batch = src.next(null);
            assertEquals(2, batch.size());
            String s = batch.get(0).substring(0, 1);
            assertTrue(batch.stream().allMatch(x -> x.startsWith(s + ":")), batch.toString());
            stageOfBatch.add(s);
        }
        assertEquals(List.of("0", "0", "0", "0", "1", "1", "2", "2", "2", "2"), stageOfBatch);
    }

    @Test
    void aResumedSourceContinuesWithTheSameBatches() {
        CurriculumSchedule schedule = CurriculumSchedule.ofSteps(3, 2, 4);
        StagedSource<String, List<String>> a = source(schedule, 1);
        List<List<String>> all = new ArrayList<>();
        List<DataPosition> positions = new ArrayList<>();
        for (int b = 0; b < 9; b++) {
            positions.add(a.position());
            all.add(a.next(null));
        }
        for (int k = 0; k < 9; k++) {
            StagedSource<String, List<String>> resumed = source(schedule, 1);
            resumed.seek(positions.get(k));
            for (int b = k; b < 9; b++) {
                assertEquals(all.get(b), resumed.next(null), "resumed at batch " + k);
            }
        }
        assertEquals(new DataPosition(1, 2), positions.get(4), "stage 1, one batch of 2 in");
    }

    @Test
    void anEmptyStageOrAStageCountMismatchIsAnError() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new StagedSource<String, List<String>>(
                                stages(2, 0),
                                CurriculumSchedule.ofSteps(1, 1),
                                1,
                                1,
                                1,
                                (e, m) -> e));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new StagedSource<String, List<String>>(
                                        stages(2, 2),
                                        CurriculumSchedule.ofSteps(1, 1, 1),
                                        1,
                                        1,
                                        1,
                                        (ex, m) -> ex));
        assertTrue(e.getMessage().contains("2 stages"), e.getMessage());
    }
}
