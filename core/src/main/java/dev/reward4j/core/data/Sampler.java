package dev.reward4j.core.data;

/**
 * A deterministic example order per epoch: the same {@code (n, epoch)} always gives the same
 * permutation, so a run can resume from a {@link DataPosition}.
 */
@FunctionalInterface
public interface Sampler {
    /**
     * The order of the {@code n} examples in epoch {@code epoch}.
     *
     * @param n number of examples
     * @param epoch 0-based epoch
     * @return a permutation of {@code [0, n)}
     */
    int[] order(int n, long epoch);

    /** File order every epoch. */
    static Sampler sequential() {
        return (n, epoch) -> {
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = i;
            }
            return o;
        };
    }
}
