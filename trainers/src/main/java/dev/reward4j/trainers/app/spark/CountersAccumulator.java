package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.trainers.corpus.PartitionCounters;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Collects each partition's {@link PartitionCounters} on the driver, keyed by partition index, so
 * they merge in input order ({@link #merged()}) whatever order the tasks finish in. Updated once
 * per partition, in the tasks of the job's final (result) stage, where Spark applies each
 * successful task's update exactly once.
 */
final class CountersAccumulator
        extends AccumulatorV2<CountersAccumulator.Part, TreeMap<Integer, PartitionCounters>> {
    private static final long serialVersionUID = 1L;

    /** One partition's counters. */
    record Part(int partition, PartitionCounters counters) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    private TreeMap<Integer, PartitionCounters> parts = new TreeMap<>();

    @Override
    public boolean isZero() {
        return parts.isEmpty();
    }

    @Override
    public AccumulatorV2<Part, TreeMap<Integer, PartitionCounters>> copy() {
        CountersAccumulator c = new CountersAccumulator();
        c.parts = new TreeMap<>(parts);
        return c;
    }

    @Override
    public void reset() {
        parts = new TreeMap<>();
    }

    @Override
    public void add(Part p) {
        parts.put(p.partition(), p.counters());
    }

    @Override
    public void merge(AccumulatorV2<Part, TreeMap<Integer, PartitionCounters>> other) {
        for (Map.Entry<Integer, PartitionCounters> e : other.value().entrySet()) {
            parts.put(e.getKey(), e.getValue());
        }
    }

    @Override
    public TreeMap<Integer, PartitionCounters> value() {
        return parts;
    }

    /** The counters of every partition merged in partition order. */
    DataCounters merged() {
        return PartitionCounters.merge(new ArrayList<>(parts.values()));
    }
}
