package dev.reward4j.bench.e2e;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resident memory of this process (Linux {@code /proc/self}) and device memory on GPU. */
final class Memory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private Memory() {}

    /** Resets the kernel's peak-RSS counter (VmHWM) when allowed; returns whether it worked. */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Peak resident set size in MiB (VmHWM), or -1 when unknown (not Linux). */
    static double peakRssMib() {
        return statusKib("VmHWM:") / 1024.0;
    }

    /** Current resident set size in MiB (VmRSS), or -1 when unknown. */
    static double rssMib() {
        return statusKib("VmRSS:") / 1024.0;
    }

    /** Used device memory in MiB on a GPU, -1 on the CPU. */
    static double deviceUsedMib(Device device) {
        return device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() / (1024.0 * 1024.0) : -1;
    }

    private static double statusKib(String key) {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String l : lines) {
                if (l.startsWith(key)) {
                    return Double.parseDouble(l.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1024;
    }
}
