/**
 * Model benchmarks: forward+backward throughput of {@code dev.reward4j.core.model.DecoderModel}.
 */
package dev.reward4j.bench.model;
