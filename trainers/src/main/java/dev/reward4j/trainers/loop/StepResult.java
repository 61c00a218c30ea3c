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
 * <p>Units and metrics are either host values or, built with {@link #deferred}, arrays still on the
 * device that the loop reads once per optimizer step ({@link DeferredMetrics}); {@link #units()}
 * and {@link #metrics()} read them on first use either way.
 *
 * @param loss scalar float32 loss sum, attached to the micro-step manager and part of the autograd
 *     graph in training
 * @param units number of normalisation units the sum runs over (e.g. valid pairs), &ge; 0
 * @param metrics per-example (sum, count) metrics of this micro-batch; the loop adds {@code loss}
 *     itself
 * @param exampleIds ids of the examples in this micro-batch (named by the non-finite guard)
 * @param tokens real (non-padding) tokens processed, for tokens/s
 * @param deferred device-side units and metrics, or null when {@code units} and {@code metrics} are
 *     host values
 */
public record StepResult(
        ai.djl.ndarray.NDArray loss,
        double units,
        MetricBag metrics,
        List<String> exampleIds,
        long tokens,
        DeferredMetrics deferred) {
    /** Validates the fields. */
    public StepResult {
        if (deferred == null && !(units >= 0)) {
            throw new IllegalArgumentException(
                    "step result: units must be >= 0 (got " + units + ")");
        }
        exampleIds = List.copyOf(exampleIds);
    }

    /** A result with host units and metrics. */
    public StepResult(
            ai.djl.ndarray.NDArray loss,
            double units,
            MetricBag metrics,
            List<String> exampleIds,
            long tokens) {
        this(loss, units, metrics, exampleIds, tokens, null);
    }

    /** A result whose units and metrics stay on the device until the loop reads them. */
    public static StepResult deferred(
            ai.djl.ndarray.NDArray loss,
            DeferredMetrics deferred,
            List<String> exampleIds,
            long tokens) {
        java.util.Objects.requireNonNull(deferred, "step result: deferred metrics");
        return new StepResult(loss, Double.NaN, null, exampleIds, tokens, deferred);
    }

    /** The units (reads deferred values on first use). */
    @Override
    public double units() {
        return deferred == null ? units : deferred.units();
    }

    /** The metrics (reads deferred values on first use). */
    @Override
    public MetricBag metrics() {
        return deferred == null ? metrics : deferred.metrics();
    }
}
