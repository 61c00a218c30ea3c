/** Metrics that travel as (sum, count), metric sinks (JSONL, console), and metric calculators. */
package dev.reward4j.trainers.metrics;
