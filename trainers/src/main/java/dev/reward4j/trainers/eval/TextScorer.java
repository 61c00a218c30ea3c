package dev.reward4j.trainers.eval;

import java.util.List;

/**
 * Produces one scalar reward per request. Implementations must score every request independently of
 * the others in the batch (for a model: right padding and the score read at the last position whose
 * attention mask is 1), so results do not depend on batch composition. Scoring logic never sees how
 * scores were produced.
 */
@FunctionalInterface
public interface TextScorer {
    /**
     * Scores {@code batch}.
     *
     * @return one finite score per request, in request order
     */
    double[] score(List<ScoringRequest> batch);
}
