/**
 * Deterministic synthetic preference data with a known ground-truth reward.
 *
 * <p>Three tasks produce prompts and candidate responses whose quality is a checkable function of
 * the text ({@link dev.reward4j.core.synth.SynthTask#judge}): arithmetic answers of varying
 * correctness, word lists under count/category constraints, and consistent versus contradictory
 * statements. Labels are drawn from a Bradley-Terry model of the ground truth with a temperature
 * and a flip-noise rate ({@link dev.reward4j.core.synth.LabelNoise}), so the best achievable
 * (Bayes) accuracy of any reward model on the generated pairs is known exactly ({@link
 * dev.reward4j.core.synth.Ceiling}). {@link dev.reward4j.core.synth.SyntheticPreferences} emits
 * pairwise, ranked-list, rated and unpaired variants; {@link
 * dev.reward4j.core.synth.SynthTokenizer} writes a word-level {@code tokenizer.json} for the data.
 * Everything is a pure function of the seed.
 */
package dev.reward4j.core.synth;
