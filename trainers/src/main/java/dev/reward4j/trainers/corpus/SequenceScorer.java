package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.TokenizedSequence;
import java.util.List;

/**
 * A batched reward forward over tokenized sequences: every output of the model per sequence, each
 * sequence scored independently of the others in the batch.
 */
@FunctionalInterface
public interface SequenceScorer {
    /**
     * Scores {@code batch}.
     *
     * @return {@code (N, K)}: K outputs per sequence, in order
     */
    double[][] score(List<TokenizedSequence> batch);
}
