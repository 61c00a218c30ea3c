package dev.reward4j.core.synth;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The best achievable (Bayes) accuracy on generated data, computed exactly from the label model.
 *
 * <p>For a pair whose chosen response is preferred with probability {@code p}, any scorer that
 * orders the two responses by ground-truth reward is right with probability {@code max(p, 1 - p)},
 * and no scorer does better in expectation. The ceiling of a set of pairs is the mean of that
 * quantity: {@code E[max(p, 1 - p)]} with {@code p = (1 - 2 flip) sigmoid(Δr / T) + flip}.
 */
public final class Ceiling {
    private Ceiling() {}

    /**
     * Bayes accuracy of one binary label that is positive with probability {@code p}: {@code max(p,
     * 1 - p)}.
     */
    public static double of(double p) {
        return Math.max(p, 1 - p);
    }

    /**
     * Expected accuracy of the Bayes-optimal scorer on {@code pairs} (chosen scored above
     * rejected).
     */
    public static double pairwise(List<SynthPair> pairs) {
        return mean(pairs, p -> of(p.preferenceProbability()));
    }

    /**
     * Expected accuracy of the Bayes-optimal desirable/undesirable classifier on {@code examples}.
     */
    public static double unpaired(List<SynthUnpaired> examples) {
        return mean(examples, e -> of(e.desirableProbability()));
    }

    /**
     * Expected top-1 accuracy (the response scored highest is the one ranked first) of the
     * Bayes-optimal scorer.
     */
    public static double topOne(List<SynthList> lists) {
        return mean(lists, SynthList::bestFirstProbability);
    }

    private static <T> double mean(List<T> items, ToDoubleFunction<T> f) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Ceiling: no examples (0); expected at least one");
        }
        double sum = 0;
        for (T t : items) {
            sum += f.applyAsDouble(t);
        }
        return sum / items.size();
    }
}
