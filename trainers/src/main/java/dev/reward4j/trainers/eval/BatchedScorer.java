package dev.reward4j.trainers.eval;

import dev.reward4j.core.util.Checks;
import java.util.List;

/**
 * Splits any number of requests into consecutive batches of at most {@code batchSize} for a
 * delegate {@link TextScorer} and concatenates the scores in request order. Checks that the
 * delegate returns one finite score per request.
 */
public final class BatchedScorer implements TextScorer {
    private final TextScorer delegate;
    private final int batchSize;

    /** A scorer calling {@code delegate} with batches of at most {@code batchSize} requests. */
    public BatchedScorer(TextScorer delegate, int batchSize) {
        Checks.argument(delegate != null, "batched scorer: delegate must not be null");
        this.delegate = delegate;
        this.batchSize = Checks.positive(batchSize, "batched scorer: batchSize");
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public double[] score(List<ScoringRequest> requests) {
        double[] out = new double[requests.size()];
        for (int from = 0; from < requests.size(); from += batchSize) {
            int to = Math.min(requests.size(), from + batchSize);
            double[] part = delegate.score(requests.subList(from, to));
            int expected = to - from;
            Checks.state(
                    part != null && part.length == expected,
                    () ->
                            "batched scorer: delegate returned "
                                    + (part == null ? "null" : part.length + " scores")
                                    + " for "
                                    + expected
                                    + " requests; expected one each");
            for (int i = 0; i < part.length; i++) {
                ScoringRequest r = requests.get(from + i);
                double v = part[i];
                Checks.state(
                        Double.isFinite(v),
                        () ->
                                "batched scorer: score of row '"
                                        + r.rowId()
                                        + "' completion "
                                        + r.completionIndex()
                                        + " is not finite ("
                                        + v
                                        + "); the model produced NaN/Inf");
                out[from + i] = v;
            }
        }
        return out;
    }
}
