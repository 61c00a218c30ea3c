package dev.reward4j.trainers.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident set size of this process from {@code /proc/self/status} (Linux), in KiB; -1 elsewhere.
 */
public final class RssProbe {
    private RssProbe() {}

    /** Current VmRSS in KiB, or -1 when unavailable. */
    public static long kib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
