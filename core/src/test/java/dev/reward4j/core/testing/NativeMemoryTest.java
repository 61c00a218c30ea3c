package dev.reward4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void theilSenSlopeIgnoresOneOutlierAndFindsALinearTrend() {
        long[] flatWithJump = {1000, 1000, 1000, 90000, 1000, 1000, 1000, 1000, 1000, 1000};
        assertEquals(0, NativeMemory.growthPerStepKib(flatWithJump, 50), 1e-9);
        long[] leak = new long[10];
        for (int i = 0; i < leak.length; i++) {
            leak[i] = 5000 + i * 50L * 300; // 300 KiB per step
        }
        assertEquals(300, NativeMemory.growthPerStepKib(leak, 50), 1e-9);
    }

    @Test
    void nativeMemorySeesLibtorchAllocationsAndNotTheJavaHeap() {
        long before = NativeMemory.nativeKib();
        assertTrue(before > 0, "smaps readable");
        List<byte[]> heap = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray big = m.ones(new Shape(64, 1024, 1024), DataType.FLOAT32); // 256 MiB native
            long withArray = NativeMemory.nativeKib();
            for (int i = 0; i < 64; i++) {
                heap.add(new byte[4 << 20]); // 256 MiB of Java heap, touched
                heap.get(i)[i] = 1;
            }
            long withHeap = NativeMemory.nativeKib();
            assertTrue(
                    withArray - before > 200 * 1024,
                    "a 256 MiB array counts: " + before + " -> " + withArray);
            assertTrue(
                    withHeap - withArray < 64 * 1024,
                    "heap pages do not count: " + withArray + " -> " + withHeap);
            assertEquals(1f, big.getFloat(0, 0, 0));
        }
        assertEquals(64, heap.size());
    }
}
