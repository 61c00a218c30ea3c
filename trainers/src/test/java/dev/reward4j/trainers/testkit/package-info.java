/**
 * Test helpers for learning tests on the synthetic generators: a word-level tokenizer for a
 * generator's vocabulary, tokenization through the real pipeline, cycling batch sources and a
 * training run of a tiny model through {@code TrainLoop}.
 */
package dev.reward4j.trainers.testkit;
