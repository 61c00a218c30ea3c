package dev.reward4j.core.pipeline;

import dev.reward4j.core.data.DataCounters;
import java.util.List;

/**
 * The result of the one-call pipeline: tokenized examples plus the counters of everything read,
 * truncated, dropped, invalid and skipped.
 *
 * @param examples the tokenized examples, in file order
 * @param counters the counts (never null)
 * @param <T> tokenized example type
 */
public record Prepared<T>(List<T> examples, DataCounters counters) {
    /** Copies the list. */
    public Prepared {
        examples = List.copyOf(examples);
    }
}
