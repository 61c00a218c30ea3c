package dev.reward4j.trainers.diagnostics;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.util.Checks;

/**
 * The ground-truth preference probability \( \alpha = P(y_w \succ y_l \mid x) \) of each pair,
 * which the idealized ranking accuracy needs: a constant for data with one label per pair, or the
 * pair's {@code margin} column when it holds the share of annotators preferring the chosen
 * response.
 */
public sealed interface PreferenceProbability {
    /**
     * The (B) log-odds \( \log\frac{\alpha}{1 - \alpha} \) of a batch's pairs, float32 on the
     * batch's device (probabilities clipped to {@code [1e-6, 1 - 1e-6]} so they stay finite);
     * computed on the device without host copies.
     */
    NDArray logOdds(PairBatch batch);

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
        public NDArray logOdds(PairBatch batch) {
            return batch.weight()
                    .getManager()
                    .full(
                            batch.weight().getShape(),
                            (float) Math.log(p / (1 - p)),
                            ai.djl.ndarray.types.DataType.FLOAT32);
        }
    }

    /**
     * The pair's {@code margin} column holds the probability (values outside (0, 1) are clipped).
     */
    record FromMargin() implements PreferenceProbability {
        @Override
        public NDArray logOdds(PairBatch batch) {
            Checks.argument(
                    batch.margin() != null,
                    () ->
                            "preference probability: the batch of "
                                    + batch.ids()
                                    + " has no margin column; expected each pair's probability in"
                                    + " 'margin' (or use a constant probability)");
            NDArray p =
                    batch.margin()
                            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .clip(1e-6, 1 - 1e-6);
            return p.log().sub(p.onesLike().sub(p).log());
        }
    }
}
