/**
 * Data-path benchmarks: JMH {@link dev.reward4j.bench.data.ReadTokenizeCollateBench} (read +
 * tokenize + collate, tokens/s) and the {@link dev.reward4j.bench.data.StreamingHarness} (1,000,000
 * pairs streamed with a 512 MB heap).
 */
package dev.reward4j.bench.data;
