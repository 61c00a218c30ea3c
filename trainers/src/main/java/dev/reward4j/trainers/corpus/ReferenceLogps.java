package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.Source;
import dev.reward4j.trainers.reference.ReferenceCache;
import java.util.Objects;

/**
 * The reference model's log-probs of one preference pair: summed over the response tokens, with the
 * number of response tokens (so per-token means are {@code chosen / chosenTokens}), and the digest
 * of the tokens they were computed from.
 *
 * @param id the pair's id
 * @param source where the pair came from
 * @param tokenDigest the pair's token digest ({@code PairTokenDigest})
 * @param chosen summed response log-probs of the chosen sequence
 * @param rejected summed response log-probs of the rejected sequence
 * @param chosenTokens response tokens of the chosen sequence
 * @param rejectedTokens response tokens of the rejected sequence
 */
public record ReferenceLogps(
        String id,
        Source source,
        long tokenDigest,
        double chosen,
        double rejected,
        int chosenTokens,
        int rejectedTokens) {
    /** Requires the id and source. */
    public ReferenceLogps {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
    }

    /** The entry of the reference cache {@code train} reads. */
    public ReferenceCache.CachedPair cached() {
        return new ReferenceCache.CachedPair(id, tokenDigest, chosen, rejected);
    }
}
