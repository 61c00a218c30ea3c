package dev.reward4j.core.text;

import java.util.Locale;

/**
 * What happens to a preference pair whose chosen and rejected token sequences differ before
 * truncation but become identical after it (their difference lies in the part that was cut, as when
 * two long responses share a long beginning). Such a pair has loss {@code log 2} and zero gradient
 * under every pairwise objective, so it is never trained on as it is.
 */
public enum IdenticalAfterTruncation {
    /** Drop the pair and count it ({@code identicalAfterTruncation}). */
    DROP,
    /**
     * Keep the pair by cutting both responses from the left instead of the right, so each keeps its
     * last tokens, where the two differ (counted as {@code tailsKept}); the prompt stays as {@link
     * TruncationPolicy.KeepPromptEnd} cut it. A pair still identical is dropped and counted.
     */
    KEEP_DIFFERING_TAIL;

    /** The configuration name: {@code drop} or {@code keep-differing-tail}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #key()}; an unknown name is an {@link IllegalArgumentException}. */
    public static IdenticalAfterTruncation parse(String key) {
        for (IdenticalAfterTruncation v : values()) {
            if (v.key().equals(key)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "identical_after_truncation: expected one of [drop, keep-differing-tail] (got '"
                        + key
                        + "')");
    }
}
