/**
 * Benchmarks of the Spark jobs: {@link dev.reward4j.bench.spark.SparkScoreThroughput} (rows/s of
 * distributed scoring in local mode on 1 and 2 executor cores, against the single-process scorer).
 */
package dev.reward4j.bench.spark;
