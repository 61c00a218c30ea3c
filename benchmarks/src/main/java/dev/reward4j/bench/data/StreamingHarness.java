package dev.reward4j.bench.data;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.text.TextEncoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams a generated 1,000,000-pair JSONL file (in a temp dir) through read → tokenize → collate
 * with a small heap and prints one JSON line: pairs/s, tokens/s and the peak heap (sum of the heap
 * pools' peak usage). Run with {@code -Xmx512m}; target: peak heap &lt; 512 MB, i.e. memory
 * independent of the file size.
 *
 * <pre>
 * java -Xmx512m -Dai.djl.offline=true -cp ... dev.reward4j.bench.data.StreamingHarness [pairs] [--keep]
 * </pre>
 */
public final class StreamingHarness {
    private StreamingHarness() {}

    /**
     * Runs the harness.
     *
     * @param args optional pair count (default 1,000,000); {@code --keep} keeps the generated file
     */
    public static void main(String[] args) throws IOException {
        long n =
                args.length > 0 && !args[0].startsWith("--") ? Long.parseLong(args[0]) : 1_000_000L;
        boolean keep = List.of(args).contains("--keep");
        Path dir = Files.createTempDirectory("reward4j-stream");
        Path file = dir.resolve("pairs-" + n + ".jsonl");
        long t0 = System.nanoTime();
        SyntheticPairs.write(file, n, false, 23);
        double genSeconds = (System.nanoTime() - t0) / 1e9;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long start = System.nanoTime();
        PairPass.Totals t;
        try (TextEncoder encoder = TextEncoder.load(SyntheticPairs.tokenizerDir());
                NDManager manager = NDManager.newBaseManager()) {
            t = PairPass.run(file, encoder, manager);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(
                "{\"pairs\": %d, \"file_mb\": %.1f, \"generate_s\": %.1f, \"stream_s\": %.1f,"
                        + " \"pairs_per_s\": %.0f, \"tokens_per_s\": %.0f, \"peak_heap_mb\": %.1f,"
                        + " \"max_heap_mb\": %.1f, \"counters\": \"%s\"}%n",
                t.pairs(),
                Files.size(file) / 1e6,
                genSeconds,
                seconds,
                t.pairs() / seconds,
                t.tokens() / seconds,
                peakHeap / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0,
                t.counters().summary());
        if (!keep) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
