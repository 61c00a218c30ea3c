package dev.reward4j.trainers.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.reward4j.core.data.DataPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CyclingSourceTest {
    static List<Integer> take(CyclingSource<Integer, List<Integer>> s, int batches) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            out.addAll(s.next(null));
        }
        return out;
    }

    @Test
    void everyEpochVisitsEveryExampleOnceInASeededOrderAndResumesFromItsPosition() {
        List<Integer> data = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        CyclingSource<Integer, List<Integer>> a =
                new CyclingSource<>(data, 5, (chunk, m) -> chunk, 3, true);
        List<Integer> first = take(a, 4);
        assertEquals(new TreeSet<>(data), new TreeSet<>(first.subList(0, 10)));
        assertEquals(new TreeSet<>(data), new TreeSet<>(first.subList(10, 20)));
        assertNotEquals(first.subList(0, 10), first.subList(10, 20), "epochs reshuffle");
        CyclingSource<Integer, List<Integer>> b =
                new CyclingSource<>(data, 5, (chunk, m) -> chunk, 3, true);
        b.seek(new DataPosition(1, 5));
        assertEquals(first.subList(15, 20), take(b, 1));
        assertEquals(data, take(new CyclingSource<>(data, 5, (chunk, m) -> chunk, 3, false), 2));
    }
}
