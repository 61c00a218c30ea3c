package dev.reward4j.trainers.loop;

import dev.reward4j.trainers.metrics.MetricBag;
import java.util.List;

/**
 * The result of one objective evaluation on one micro-batch.
 *
 * <p>{@code loss} is the <b>sum</b> of the per-unit losses over the {@code units} normalisation
 * units of the micro-batch (pairs, lists, examples); the loop divides the accumulated gradient and
 * the logged loss once by the total units of the optimizer step, so any split into micro-batches
 * gives the same loss, gradients and metrics.
 *
 * @param loss scalar float32 loss sum, attached to the micro-step manager and part of the autograd
 *     graph in training
 * @param units number of normalisation units the sum runs over (e.g. valid pairs), &ge; 0
 * @param metrics per-example (sum, count) metrics of this micro-batch; the loop adds {@code loss}
 *     itself
 * @param exampleIds ids of the examples in this micro-batch (named by the non-finite guard)
 * @param tokens real (non-padding) tokens processed, for tokens/s
 */
public record StepResult(
        ai.djl.ndarray.NDArray loss,
        double units,
        MetricBag metrics,
        List<String> exampleIds,
        long tokens) {
    /** Validates the fields. */
    public StepResult {
        if (!(units >= 0)) {
            throw new IllegalArgumentException(
                    "step result: units must be >= 0 (got " + units + ")");
        }
        exampleIds = List.copyOf(exampleIds);
    }
}
