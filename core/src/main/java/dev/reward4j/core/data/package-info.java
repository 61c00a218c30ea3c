/**
 * Preference data: immutable example records, streaming readers for the formats people actually
 * have (TRL, HH-RLHF, UltraFeedback, HelpSteer2, KTO, RewardBench), tokenized forms, truncation,
 * collators into NDArray batches, packing and deterministic sampling.
 *
 * <p>Nothing is dropped or altered silently: every reader and the tokenizing pipeline report what
 * they skipped, truncated or rejected through {@link dev.reward4j.core.data.DataCounters}, and bad
 * input fails with an exception that names the file, the line and the field.
 */
package dev.reward4j.core.data;
