package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.DataCounters;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The counters of one partition of a corpus job: the reader's (rows read, examples parsed, rows
 * skipped, ...) and the tokenizer's (kept, truncated, dropped, invalid), kept apart so that merging
 * the partitions in order gives exactly the counters of one pass over the whole input (reader
 * counters first, then tokenizer counters, as {@code DataPipeline} merges them).
 *
 * @param read the reader's counters
 * @param tokens the tokenizer's counters
 */
public record PartitionCounters(DataCounters read, DataCounters tokens) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Requires both. */
    public PartitionCounters {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(tokens, "tokens");
    }

    /** Empty counters. */
    public static PartitionCounters empty() {
        return new PartitionCounters(new DataCounters(), new DataCounters());
    }

    /** Reader then tokenizer counters of this partition. */
    public DataCounters all() {
        return merge(List.of(this));
    }

    /**
     * The counters of {@code partitions} in order: the reader counters of every partition, then the
     * tokenizer counters of every partition (with the first source locations in input order).
     */
    public static DataCounters merge(List<PartitionCounters> partitions) {
        DataCounters out = new DataCounters();
        for (PartitionCounters p : partitions) {
            out.add(p.read());
        }
        for (PartitionCounters p : partitions) {
            out.add(p.tokens());
        }
        return out;
    }
}
