package dev.reward4j.core.text;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.util.Checks;

/**
 * What happens to an example longer than {@code maxLength} tokens. Applied pair-aware (chosen and
 * rejected keep the same prompt tokens) by {@link ExampleTokenizer}; every action is counted in
 * {@link DataCounters}. The same policy object is used for training and evaluation.
 */
public sealed interface TruncationPolicy extends java.io.Serializable
        permits TruncationPolicy.Drop, TruncationPolicy.KeepPromptEnd, TruncationPolicy.KeepEnd {

    /** Maximum sequence length in tokens (prompt + response, including special tokens). */
    int maxLength();

    /**
     * What happens to a pair the cut makes identical: {@link IdenticalAfterTruncation#DROP} except
     * where {@link KeepPromptEnd} says otherwise.
     */
    default IdenticalAfterTruncation identical() {
        return IdenticalAfterTruncation.DROP;
    }

    /**
     * The default: keep the prompt's end and the response's start, max 1024 tokens, reserve 64 for
     * the response.
     */
    static TruncationPolicy defaults() {
        return new KeepPromptEnd(1024, 64, false);
    }

    /**
     * Drop the whole example (pair, list) when any of its sequences is longer than {@code
     * maxLength} (TRL reward trainer behaviour, but counted).
     *
     * @param maxLength maximum tokens per sequence, {@code > 0}
     */
    record Drop(int maxLength) implements TruncationPolicy {
        /** Validates the length. */
        public Drop {
            Checks.positive(maxLength, "TruncationPolicy.Drop.maxLength");
        }
    }

    /**
     * Keep the prompt's end and the response's start. The response keeps {@code min(|response|,
     * max(reserve, maxLength - |prompt|))} tokens; the prompt is cut from the left to the remaining
     * room, keeping its leading special tokens (BOS); then the response is cut from the right. In a
     * pair or list the prompt is cut once, to fit the longest response, so every item shares the
     * same prompt tokens. If fewer than one non-special prompt token would remain, the example is
     * dropped (and counted).
     *
     * @param maxLength maximum tokens per sequence, {@code > 0}
     * @param reserveResponse response tokens kept even when the prompt alone fills {@code
     *     maxLength}, {@code >= 1}
     * @param forceEos when a response is cut, overwrite its last kept token with EOS (OpenRLHF
     *     style; counted as "EOS forced"); when false the cut response simply ends without EOS (TRL
     *     DPO style)
     * @param maxPromptLength when {@code > 0}, every prompt is first cut from the left to at most
     *     this many tokens (keeping its leading special tokens), whatever the response length
     *     (TRL's {@code max_prompt_length}); 0 = no separate prompt limit
     * @param identical what happens to a pair that the cut makes identical
     */
    record KeepPromptEnd(
            int maxLength,
            int reserveResponse,
            boolean forceEos,
            int maxPromptLength,
            IdenticalAfterTruncation identical)
            implements TruncationPolicy {
        /** Validates the lengths. */
        public KeepPromptEnd {
            Checks.positive(maxLength, "TruncationPolicy.KeepPromptEnd.maxLength");
            Checks.positive(reserveResponse, "TruncationPolicy.KeepPromptEnd.reserveResponse");
            Checks.argument(
                    reserveResponse < maxLength,
                    () ->
                            "TruncationPolicy.KeepPromptEnd: reserveResponse ("
                                    + reserveResponse
                                    + ") >= maxLength ("
                                    + maxLength
                                    + "); expected reserveResponse < maxLength so the prompt keeps"
                                    + " at least one token");
            Checks.argument(
                    maxPromptLength >= 0 && maxPromptLength < maxLength,
                    () ->
                            "TruncationPolicy.KeepPromptEnd: maxPromptLength ("
                                    + maxPromptLength
                                    + ") outside [0, maxLength ("
                                    + maxLength
                                    + ")); expected 0 (no prompt limit) or a length that leaves"
                                    + " room for the response");
            java.util.Objects.requireNonNull(
                    identical, "TruncationPolicy.KeepPromptEnd: identical");
        }

        /** No separate prompt limit; pairs made identical by the cut are dropped. */
        public KeepPromptEnd(int maxLength, int reserveResponse, boolean forceEos) {
            this(maxLength, reserveResponse, forceEos, 0, IdenticalAfterTruncation.DROP);
        }
    }

    /**
     * Keep the last {@code maxLength} tokens of the whole sequence (HF {@code
     * truncation_side="left"}, as RewardBench does). Leading special tokens are lost; use it only
     * for RewardBench-compatible evaluation.
     *
     * @param maxLength maximum tokens per sequence, {@code > 0}
     */
    record KeepEnd(int maxLength) implements TruncationPolicy {
        /** Validates the length. */
        public KeepEnd {
            Checks.positive(maxLength, "TruncationPolicy.KeepEnd.maxLength");
        }
    }
}
