package dev.reward4j.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resident memory outside the Java heap (Linux {@code /proc/self/smaps}), for leak tests of native
 * (libtorch) memory, and a robust growth estimate over a series of samples.
 *
 * <p>Plain RSS includes the Java heap, whose resident pages move by hundreds of MiB with the
 * garbage collector's sizing decisions and made RSS-difference tests flaky on a loaded machine.
 * {@link #nativeKib()} subtracts the heap's reserved range (the run of contiguous anonymous
 * mappings that spans {@link Runtime#maxMemory()}), and the JVM's non-heap pools (JIT code cache,
 * metaspace: their committed bytes, which grow while classes load and methods compile), so what
 * remains is mostly libtorch's allocations. {@link #growthPerStepKib} fits the trend of many
 * samples with the Theil-Sen estimator (median of pairwise slopes), which one outlier cannot move.
 */
public final class NativeMemory {
    private NativeMemory() {}

    private record Mapping(long start, long end, boolean anonymous, long rssKib) {}

    /** Resident KiB outside the Java heap; -1 when {@code /proc/self/smaps} is unavailable. */
    public static long nativeKib() {
        Path smaps = Path.of("/proc/self/smaps");
        if (!Files.isReadable(smaps)) {
            return -1;
        }
        List<Mapping> maps = new ArrayList<>();
        try {
            long start = 0;
            long end = 0;
            boolean anonymous = false;
            for (String line : Files.readAllLines(smaps)) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                if (dash > 0 && space > dash && isHex(line, 0, dash)) {
                    start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                    end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                    String[] fields = line.trim().split("\\s+");
                    anonymous = fields.length < 6;
                } else if (line.startsWith("Rss:")) {
                    maps.add(new Mapping(start, end, anonymous, kib(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = maps.stream().mapToLong(Mapping::rssKib).sum();
        long jvmNonHeap =
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() / 1024;
        return total - heapKib(maps, Runtime.getRuntime().maxMemory()) - jvmNonHeap;
    }

    /**
     * RSS of the run of contiguous anonymous mappings that spans the heap's reserved size (within
     * 1%: the JVM may place a few MiB of its own at the end of the reservation).
     */
    private static long heapKib(List<Mapping> maps, long heapBytes) {
        int i = 0;
        while (i < maps.size()) {
            if (!maps.get(i).anonymous()) {
                i++;
                continue;
            }
            long span = 0;
            long rss = 0;
            int j = i;
            do {
                span += maps.get(j).end() - maps.get(j).start();
                rss += maps.get(j).rssKib();
                j++;
            } while (j < maps.size()
                    && maps.get(j).anonymous()
                    && maps.get(j).start() == maps.get(j - 1).end());
            if (Math.abs(span - heapBytes) <= heapBytes / 100) {
                return rss;
            }
            i = j;
        }
        return 0;
    }

    /**
     * The growth of {@code samplesKib} per step: Theil-Sen slope (median over all sample pairs of
     * their slope) divided by {@code stepsBetweenSamples}.
     */
    public static double growthPerStepKib(long[] samplesKib, int stepsBetweenSamples) {
        List<Double> slopes = new ArrayList<>();
        for (int i = 0; i < samplesKib.length; i++) {
            for (int j = i + 1; j < samplesKib.length; j++) {
                slopes.add(
                        (samplesKib[j] - samplesKib[i]) / (double) ((j - i) * stepsBetweenSamples));
            }
        }
        double[] s = slopes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return 0;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The samples as text for assertion messages. */
    public static String describe(long[] samplesKib) {
        return Arrays.toString(samplesKib) + " KiB";
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return to > from;
    }
}
