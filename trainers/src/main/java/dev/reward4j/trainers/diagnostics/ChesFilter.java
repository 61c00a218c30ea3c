package dev.reward4j.trainers.diagnostics;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Drops the fraction of preference pairs with the highest CHES scores (the pairs most likely to
 * cause likelihood displacement), as the CHES paper filters its training data before DPO. The
 * number dropped is \( \lfloor f \cdot n \rfloor \); equal scores are dropped in input order
 * (deterministic).
 *
 * @param fraction the fraction to drop, in {@code [0, 1)}
 */
public record ChesFilter(double fraction) {
    /** Validates the fraction. */
    public ChesFilter {
        Checks.argument(
                fraction >= 0 && fraction < 1,
                () ->
                        "ches filter: fraction ("
                                + fraction
                                + ") outside [0, 1); expected the share of pairs to drop");
    }

    /**
     * The result of filtering.
     *
     * @param kept the kept items, in input order
     * @param dropped the dropped items, highest score first
     * @param threshold the lowest dropped score (NaN when nothing was dropped)
     * @param <T> item type
     */
    public record Filtered<T>(List<T> kept, List<T> dropped, double threshold) {
        /** Copies the lists. */
        public Filtered {
            kept = List.copyOf(kept);
            dropped = List.copyOf(dropped);
        }
    }

    /**
     * Which items are kept.
     *
     * @param scores CHES score per item (finite)
     * @return per item: true when kept
     */
    public boolean[] keep(double[] scores) {
        for (double s : scores) {
            Checks.argument(
                    Double.isFinite(s),
                    () -> "ches filter: a score is " + s + "; expected finite scores");
        }
        int drop = (int) Math.floor(fraction * scores.length + 1e-9);
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        boolean[] keep = new boolean[scores.length];
        Arrays.fill(keep, true);
        for (int i = 0; i < drop; i++) {
            keep[order[i]] = false;
        }
        return keep;
    }

    /**
     * Filters {@code items} by their {@code scores}.
     *
     * @param items the items (e.g. tokenized pairs)
     * @param scores one CHES score per item
     * @return kept and dropped items and the threshold
     */
    public <T> Filtered<T> apply(List<T> items, double[] scores) {
        Checks.argument(
                items.size() == scores.length,
                () ->
                        "ches filter: "
                                + items.size()
                                + " items but "
                                + scores.length
                                + " scores; expected one score per item");
        boolean[] keep = keep(scores);
        List<T> kept = new ArrayList<>();
        List<Integer> droppedIdx = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                kept.add(items.get(i));
            } else {
                droppedIdx.add(i);
            }
        }
        droppedIdx.sort(
                Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        List<T> dropped = new ArrayList<>();
        double threshold = Double.NaN;
        for (int i : droppedIdx) {
            dropped.add(items.get(i));
            threshold = scores[i];
        }
        return new Filtered<>(kept, dropped, threshold);
    }
}
