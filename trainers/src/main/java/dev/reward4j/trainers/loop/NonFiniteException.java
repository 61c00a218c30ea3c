package dev.reward4j.trainers.loop;

import java.util.List;

/** Thrown when a loss or a gradient is NaN or infinite and the run cannot continue. */
public final class NonFiniteException extends IllegalStateException {
    private final long step;
    private final List<String> exampleIds;

    /** Creates the exception with the step and the example ids of the offending optimizer step. */
    public NonFiniteException(
            String what, long step, List<String> exampleIds, String lastCheckpoint) {
        super(
                "train: non-finite "
                        + what
                        + " at step "
                        + step
                        + " (examples "
                        + abbreviate(exampleIds)
                        + "); expected finite"
                        + " values. The last good checkpoint is "
                        + lastCheckpoint
                        + " and was left untouched; lower the learning"
                        + " rate, enable clipping or inspect these examples");
        this.step = step;
        this.exampleIds = List.copyOf(exampleIds);
    }

    private static String abbreviate(List<String> ids) {
        return ids.size() <= 20
                ? ids.toString()
                : ids.subList(0, 20) + " and " + (ids.size() - 20) + " more";
    }

    /** The optimizer step (1-based) that failed. */
    public long step() {
        return step;
    }

    /** Ids of the examples of the failed step. */
    public List<String> exampleIds() {
        return exampleIds;
    }
}
