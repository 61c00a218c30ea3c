/**
 * End-to-end training throughput: {@link dev.reward4j.bench.e2e.TrainThroughput} trains reward
 * models of configurable size through the real {@code TrainLoop} on random token data and prints
 * one JSON line per configuration (tokens/s, pairs/s, step-time percentiles, MFU against an
 * in-process matmul peak, peak memory).
 */
package dev.reward4j.bench.e2e;
