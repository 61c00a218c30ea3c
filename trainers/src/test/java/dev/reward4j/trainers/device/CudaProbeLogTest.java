package dev.reward4j.trainers.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CudaProbeLogTest {
    private String saved;

    @BeforeEach
    void clear() {
        saved = System.clearProperty(CudaProbeLog.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(CudaProbeLog.PROPERTY);
        } else {
            System.setProperty(CudaProbeLog.PROPERTY, saved);
        }
    }

    @Test
    void cpuRunRaisesTheProbeLevelToError() {
        assertTrue(CudaProbeLog.quietForCpu(" CPU "));
        assertEquals("error", System.getProperty(CudaProbeLog.PROPERTY));
    }

    @Test
    void gpuAndAutoRunsKeepTheProbeWarning() {
        for (String device : new String[] {"gpu", "gpu:1", "auto", null}) {
            assertFalse(CudaProbeLog.quietForCpu(device), String.valueOf(device));
        }
        assertNull(System.getProperty(CudaProbeLog.PROPERTY));
    }

    @Test
    void aLevelTheUserSetIsKept() {
        System.setProperty(CudaProbeLog.PROPERTY, "debug");
        assertFalse(CudaProbeLog.quietForCpu("cpu"));
        assertEquals("debug", System.getProperty(CudaProbeLog.PROPERTY));
    }
}
