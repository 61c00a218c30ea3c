package dev.reward4j.trainers.diagnostics;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.Scalars;

/**
 * The ground-truth preference probability \( \alpha = P(y_w \succ y_l \mid x) \) of each pair,
 * which the idealized ranking accuracy needs: a constant for data with one label per pair, or the
 * pair's {@code margin} column when it holds the share of annotators preferring the chosen
 * response.
 */
public sealed interface PreferenceProbability {
    /**
     * The (B) probabilities of a batch's pairs, on the batch's device (clipped to {@code [1e-6, 1 -
     * 1e-6]} so the log-odds stay finite).
     */
    NDArray of(PairBatch batch);

    /** {@code 0.75}, the value the paper's authors use for data without annotator shares. */
    static PreferenceProbability defaults() {
        return new Constant(0.75);
    }

    /**
     * The same probability for every pair.
     *
     * @param p the probability, in {@code (0, 1)}
     */
    record Constant(double p) implements PreferenceProbability {
        /** Validates {@code 0 < p < 1}. */
        public Constant {
            Checks.argument(
                    p > 0 && p < 1,
                    () -> "preference probability: " + p + " outside (0, 1); expected e.g. 0.75");
        }

        @Override
        public NDArray of(PairBatch batch) {
            return batch.weight().zerosLike().add(Scalars.of(batch.weight(), p));
        }
    }

    /**
     * The pair's {@code margin} column holds the probability (values outside (0, 1) are clipped).
     */
    record FromMargin() implements PreferenceProbability {
        @Override
        public NDArray of(PairBatch batch) {
            Checks.argument(
                    batch.margin() != null,
                    () ->
                            "preference probability: the batch of "
                                    + batch.ids()
                                    + " has no margin column; expected each pair's probability in"
                                    + " 'margin' (or use a constant probability)");
            return batch.margin().clip(1e-6, 1 - 1e-6);
        }
    }
}
