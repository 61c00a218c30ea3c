/**
 * The Spark jobs of the launcher ({@code reward4j spark score|reference|prepare}, under {@code
 * spark-submit reward4j-spark.jar spark ...}; {@link dev.reward4j.trainers.app.spark.SparkJobs}):
 * reward scoring with best-of-N selection, reference log-probs into the cache {@code train} reads,
 * and data preparation into tokenized Parquet shards, over input files or a {@code Dataset<Row>}.
 * Each job runs the Spark-free partition functions of {@code dev.reward4j.trainers.corpus} once per
 * partition, with one model per executor JVM ({@link
 * dev.reward4j.trainers.app.spark.ExecutorResources}), and merges the partitions' counters in input
 * order; that shared code is why a job's output equals the single-process path's. Spark is a {@code
 * provided} dependency: it comes from the cluster (or spark-submit), never from the library.
 */
package dev.reward4j.trainers.app.spark;
