package dev.reward4j.trainers.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeviceSpecTest {
    @Nested
    class Names {
        @Test
        void resolvesCpuWithoutAskingForGpus() {
            assertEquals(
                    Device.cpu(),
                    DeviceSpec.resolve(
                            "CPU",
                            () -> {
                                throw new AssertionError("queried GPUs");
                            }));
        }

        @Test
        void resolvesGpuIndices() {
            assertEquals(Device.gpu(0), DeviceSpec.resolve("gpu", () -> 2));
            assertEquals(Device.gpu(1), DeviceSpec.resolve("gpu:1", () -> 2));
        }

        @Test
        void autoPicksTheFirstGpuOrTheCpu() {
            assertEquals(Device.gpu(0), DeviceSpec.resolve("auto", () -> 1));
            assertEquals(Device.cpu(), DeviceSpec.resolve("auto", () -> 0));
        }
    }

    @Nested
    class Errors {
        @Test
        void rejectsAnInvisibleGpuWithAHint() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> DeviceSpec.resolve("gpu:2", () -> 1));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "device: 'gpu:2' requested but the PyTorch engine sees 1"
                                            + " GPU(s)"),
                    e.getMessage());
        }

        @Test
        void rejectsUnknownNames() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> DeviceSpec.resolve("tpu", () -> 0));
            assertEquals(
                    "device: unknown device 'tpu'; expected one of cpu, gpu, gpu:N, auto",
                    e.getMessage());
        }
    }
}
