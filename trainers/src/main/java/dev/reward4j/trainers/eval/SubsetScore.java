package dev.reward4j.trainers.eval;

/**
 * The score of one subset.
 *
 * @param subset subset name
 * @param score accuracy (v1, v2 best-of-N) or the Ties formula (v2 Ties), in [0, 1] (Ties up to
 *     1.01)
 * @param rows number of rows of the subset
 */
public record SubsetScore(String subset, double score, int rows) {}
