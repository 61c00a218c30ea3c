package dev.reward4j.trainers.config;

import dev.reward4j.core.transform.ChainOfHindsight;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of objective {@code chain-of-hindsight}: preference pairs become one sequence with both
 * responses after natural-language feedback phrases, trained by NLL on the responses only (see
 * {@link ChainOfHindsight}).
 *
 * @param positiveFeedback the phrase before the chosen response
 * @param negativeFeedback the phrase before the rejected response
 * @param order {@code random} (per example, from {@code train.seed}), {@code good-first} or {@code
 *     bad-first}
 */
public record HindsightParams(String positiveFeedback, String negativeFeedback, String order) {
    static final Set<String> ORDERS = new TreeSet<>(Set.of("random", "good-first", "bad-first"));

    /** Validates the values. */
    public HindsightParams {
        Require.present(positiveFeedback, "positive_feedback", "give the phrase before the chosen");
        Require.present(
                negativeFeedback, "negative_feedback", "give the phrase before the rejected");
        if (positiveFeedback.equals(negativeFeedback)) {
            throw new IllegalArgumentException(
                    "negative_feedback: expected a phrase other than positive_feedback (got '"
                            + negativeFeedback
                            + "' twice)");
        }
        Require.oneOf(order, ORDERS, "order");
    }

    /** The paper's dialogue phrases, random order. */
    public static HindsightParams defaults() {
        ChainOfHindsight d = ChainOfHindsight.defaults();
        return new HindsightParams(d.positiveFeedback(), d.negativeFeedback(), "random");
    }

    /** The transform, with the per-example order drawn from {@code seed}. */
    public ChainOfHindsight transform(long seed) {
        return new ChainOfHindsight(
                positiveFeedback,
                negativeFeedback,
                ChainOfHindsight.Order.valueOf(order.replace('-', '_').toUpperCase(Locale.ROOT)),
                seed);
    }
}
