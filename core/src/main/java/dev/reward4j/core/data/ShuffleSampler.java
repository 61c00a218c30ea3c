package dev.reward4j.core.data;

import java.util.SplittableRandom;

/**
 * A uniformly random order per epoch: Fisher-Yates with {@link SplittableRandom} seeded from {@code
 * (seed, epoch)}. Identical on every JVM and platform.
 *
 * @param seed the run seed
 */
public record ShuffleSampler(long seed) implements Sampler {
    @Override
    public int[] order(int n, long epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        shuffle(o, random(seed, epoch));
        return o;
    }

    static SplittableRandom random(long seed, long epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 1);
    }

    static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
