package dev.reward4j.core.data;

import dev.reward4j.core.util.Checks;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Length-grouped shuffling (HF {@code group_by_length} style): shuffle, cut into mega-batches of
 * {@code batchSize * groupFactor} examples, sort each mega-batch by length (longest first), cut
 * into batches of {@code batchSize} and shuffle the batch order. Batches then hold similar lengths
 * (less padding) while the epoch stays random; deterministic for {@code (seed, epoch)}.
 */
public final class LengthGroupedSampler implements Sampler {
    private final long seed;
    private final int[] lengths;
    private final int batchSize;
    private final int groupFactor;

    /**
     * Creates the sampler.
     *
     * @param seed the run seed
     * @param lengths per-example length (e.g. tokens of the longer side of a pair)
     * @param batchSize examples per batch, {@code > 0}
     * @param groupFactor batches per mega-batch, {@code > 0} (HF uses 50)
     */
    public LengthGroupedSampler(long seed, int[] lengths, int batchSize, int groupFactor) {
        this.seed = seed;
        this.lengths = lengths.clone();
        this.batchSize = Checks.positive(batchSize, "LengthGroupedSampler.batchSize");
        this.groupFactor = Checks.positive(groupFactor, "LengthGroupedSampler.groupFactor");
    }

    @Override
    public int[] order(int n, long epoch) {
        Checks.argument(
                n == lengths.length,
                () ->
                        "LengthGroupedSampler: n ("
                                + n
                                + ") != number of lengths ("
                                + lengths.length
                                + "); expected equal");
        SplittableRandom r = ShuffleSampler.random(seed, epoch);
        int[] o = new ShuffleSampler(seed).order(n, epoch);
        int mega = batchSize * groupFactor;
        for (int from = 0; from < n; from += mega) {
            int to = Math.min(n, from + mega);
            Integer[] part = new Integer[to - from];
            for (int i = from; i < to; i++) {
                part[i - from] = o[i];
            }
            Arrays.sort(part, Comparator.comparingInt((Integer i) -> -lengths[i]));
            for (int i = from; i < to; i++) {
                o[i] = part[i - from];
            }
        }
        int batches = (n + batchSize - 1) / batchSize;
        int[] batchOrder = new int[batches];
        for (int i = 0; i < batches; i++) {
            batchOrder[i] = i;
        }
        ShuffleSampler.shuffle(batchOrder, r.split());
        int[] out = new int[n];
        int k = 0;
        for (int bi : batchOrder) {
            for (int i = bi * batchSize; i < Math.min(n, (bi + 1) * batchSize); i++) {
                out[k++] = o[i];
            }
        }
        return out;
    }
}
