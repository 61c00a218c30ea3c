/**
 * Reading plus tokenization: {@link dev.reward4j.core.pipeline.DataPipeline} reads a data file with
 * a {@code dev.reward4j.core.data} format, tokenizes the examples with {@code
 * dev.reward4j.core.text} (chat template, truncation policy) and returns them with their counters
 * as {@link dev.reward4j.core.pipeline.Prepared}. It composes the two packages, which do not depend
 * on each other's direction: {@code text} renders and encodes {@code data}'s examples, {@code data}
 * never imports {@code text}.
 */
package dev.reward4j.core.pipeline;
