package dev.reward4j.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which float32 GEMM path this process runs: the CPU vendor and the MKL dispatch library preloaded
 * into it ({@code LD_PRELOAD}, set by the {@code reward4j} start script or the benchmark script),
 * as recorded in each result line.
 */
final class GemmMode {
    private GemmMode() {}

    static String describe() {
        String preload = System.getenv("LD_PRELOAD");
        String lib =
                preload == null || preload.isBlank()
                        ? "none"
                        : Path.of(preload.split(":")[0]).getFileName().toString();
        return vendor() + ", LD_PRELOAD " + lib;
    }

    static String vendor() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("vendor_id")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
