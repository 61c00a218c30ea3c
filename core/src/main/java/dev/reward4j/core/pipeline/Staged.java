package dev.reward4j.core.pipeline;

import dev.reward4j.core.data.DataCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tokenized examples of a curriculum, stage by stage, with the counters of reading and
 * tokenization.
 *
 * @param stages the examples of each stage, the first stage first (a stage may be empty)
 * @param counters read, parsed, kept, truncated, dropped, invalid and skipped counts of all stages
 * @param <T> tokenized example type
 */
public record Staged<T>(List<List<T>> stages, DataCounters counters) {
    /** Copies the stage lists. */
    public Staged {
        Objects.requireNonNull(counters, "counters");
        List<List<T>> copy = new ArrayList<>(stages.size());
        for (List<T> s : stages) {
            copy.add(List.copyOf(s));
        }
        stages = List.copyOf(copy);
    }

    /** Number of examples in every stage together. */
    public int size() {
        int n = 0;
        for (List<T> s : stages) {
            n += s.size();
        }
        return n;
    }
}
