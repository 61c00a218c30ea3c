package dev.reward4j.core.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Small seeded sampling helpers shared by the tasks and the generator. */
final class Draws {
    private Draws() {}

    /**
     * A SplitMix64-style mix of a seed, a stream and an index: a well-spread, order-independent
     * sub-seed.
     */
    static long mix(long seed, long stream, long index) {
        long z =
                seed * 0x9E3779B97F4A7C15L
                        + stream * 0xBF58476D1CE4E5B9L
                        + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code count} levels from {@code [0, levels)}: pairwise distinct while possible, then
     * uniformly repeated.
     */
    static int[] levels(SplittableRandom rng, int levels, int count) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            order.add(i);
        }
        shuffle(rng, order);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = i < levels ? order.get(i) : rng.nextInt(levels);
        }
        return out;
    }

    /** A uniformly chosen element. */
    static <T> T pick(SplittableRandom rng, List<T> items) {
        return items.get(rng.nextInt(items.size()));
    }

    /** {@code count} distinct elements in random order. */
    static <T> List<T> distinct(SplittableRandom rng, List<T> items, int count) {
        List<T> copy = new ArrayList<>(items);
        shuffle(rng, copy);
        return new ArrayList<>(copy.subList(0, count));
    }

    /**
     * Fisher-Yates shuffle in place (own implementation so the order is fixed by the seed alone).
     */
    static <T> void shuffle(SplittableRandom rng, List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            Collections.swap(items, i, rng.nextInt(i + 1));
        }
    }

    /**
     * A standard normal draw (Box-Muller; own implementation so values do not depend on the JDK).
     */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A standard Gumbel draw. */
    static double gumbel(SplittableRandom rng) {
        return -Math.log(-Math.log(1.0 - rng.nextDouble() * (1 - 1e-12)));
    }
}
