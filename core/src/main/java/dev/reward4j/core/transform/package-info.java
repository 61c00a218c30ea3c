/**
 * Data transforms for curricula and conditioned training, applied to examples before (or while)
 * they are tokenized: Curry-DPO's staged pairs from rated responses ({@link
 * dev.reward4j.core.transform.CurryCurriculum}), reward-augmented relabelling of preference pairs
 * ({@link dev.reward4j.core.transform.RewardAugmentation}), Chain-of-Hindsight sequences with the
 * feedback tokens masked from the loss ({@link dev.reward4j.core.transform.ChainOfHindsight}) and
 * class-conditioned supervised examples of C-RLFT ({@link
 * dev.reward4j.core.transform.ClassConditioning}).
 *
 * <p>The transforms that map rows wrap a {@link dev.reward4j.core.data.Format} (as {@code
 * SplitFilter} does), so everything they skip is counted in the reader's {@link
 * dev.reward4j.core.data.DataCounters} with its file and line.
 */
package dev.reward4j.core.transform;
