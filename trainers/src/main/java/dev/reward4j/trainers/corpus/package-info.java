/**
 * Corpus-scale jobs as plain functions over iterators of rows: reward scoring ({@link
 * dev.reward4j.trainers.corpus.CorpusScorer}), best-of-N selection ({@link
 * dev.reward4j.trainers.corpus.BestOfN}), reference log-probs in the cache {@code train} reads
 * ({@link dev.reward4j.trainers.corpus.CorpusReference}) and data preparation into tokenized
 * Parquet shards ({@link dev.reward4j.trainers.corpus.CorpusPreparation}, {@link
 * dev.reward4j.trainers.corpus.TokenizedShards}, streamed back by {@link
 * dev.reward4j.trainers.corpus.ShardPairSource}).
 *
 * <p>Each job is one function over the rows of a partition, with its counters. The single-process
 * path runs it once over the whole input; a cluster job (the Spark jobs of the launcher) runs it
 * once per partition and merges the counters in partition order. Both run the same code, which is
 * why their outputs agree. Nothing here depends on a cluster framework.
 */
package dev.reward4j.trainers.corpus;
