package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.trainers.metrics.MetricBag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The units and metrics of one micro-step, still on the device: an objective returns them in its
 * {@link StepResult} instead of copying arrays to the host itself, and {@link TrainLoop} reads the
 * arrays of all micro-steps of an optimizer step, together with the losses and the gradient norm,
 * in <b>one</b> host transfer ({@link #readAll}). On a GPU every host read waits for the device
 * queue to drain; one read per optimizer step keeps the device busy while the host queues the next
 * micro-step.
 *
 * <p>Reading any value outside the loop (an evaluator, a test) resolves the metrics on first use
 * with one transfer of their own. Not thread-safe.
 */
public final class DeferredMetrics {
    /** Turns the host copies of the arrays (same order, row-major, as doubles) into metrics. */
    @FunctionalInterface
    public interface Reader {
        /** Adds the metrics computed from {@code values} to {@code bag}. */
        void addTo(MetricBag bag, List<double[]> values);
    }

    /** Host transfers made by {@link #read} (tests count the loop's reads per step). */
    static final java.util.concurrent.atomic.AtomicLong HOST_READS =
            new java.util.concurrent.atomic.AtomicLong();

    private NDArray units;
    private final List<NDArray> arrays;
    private final Reader reader;
    private double unitsValue = Double.NaN;
    private MetricBag bag;

    private DeferredMetrics(NDArray units, List<NDArray> arrays, Reader reader) {
        this.units = units;
        this.arrays = arrays;
        this.reader = reader;
    }

    /**
     * Deferred units and metrics.
     *
     * @param units 0-d array: the number of normalisation units of the micro-batch (e.g. the sum of
     *     pair weights)
     * @param reader builds the metrics from the host copies of {@code arrays}
     * @param arrays arrays the metrics need (autograd is cut when the loop keeps them)
     */
    public static DeferredMetrics of(NDArray units, Reader reader, NDArray... arrays) {
        Objects.requireNonNull(units, "deferred metrics: units");
        Objects.requireNonNull(reader, "deferred metrics: reader");
        return new DeferredMetrics(units, new ArrayList<>(List.of(arrays)), reader);
    }

    /**
     * Deferred metrics with units known on the host (e.g. the number of examples).
     *
     * @param units number of normalisation units, &ge; 0
     * @param reader builds the metrics from the host copies of {@code arrays}
     * @param arrays arrays the metrics need (at least one)
     */
    public static DeferredMetrics of(double units, Reader reader, NDArray... arrays) {
        if (!(units >= 0)) {
            throw new IllegalArgumentException(
                    "deferred metrics: units must be >= 0 (got " + units + ")");
        }
        Objects.requireNonNull(reader, "deferred metrics: reader");
        DeferredMetrics d = new DeferredMetrics(null, new ArrayList<>(List.of(arrays)), reader);
        d.unitsValue = units;
        return d;
    }

    /** The units (reads the arrays on first use). */
    public double units() {
        resolve();
        return unitsValue;
    }

    /** The metrics (reads the arrays on first use). */
    public MetricBag metrics() {
        resolve();
        return bag;
    }

    /** True once the values are on the host. */
    boolean resolved() {
        return bag != null;
    }

    /**
     * Moves the arrays out of the micro-step: detached from autograd, attached to {@code manager}
     * and removed from the enclosing {@code NDScope}, so they outlive the micro-step's manager.
     */
    void keepIn(NDManager manager) {
        if (resolved()) {
            return;
        }
        if (units != null) {
            units = keep(units, manager);
        }
        arrays.replaceAll(a -> keep(a, manager));
    }

    /**
     * A detached copy of {@code a} attached to {@code manager}, outside any scope. A copy, not an
     * alias: an input array of the batch (e.g. labels collated from a Java array) is created over a
     * direct buffer that only the original array keeps alive, so an alias of it reads freed memory
     * once the micro-step's manager has closed the original and the buffer has been collected.
     */
    static NDArray keep(NDArray a, NDManager manager) {
        NDArray detached = a.stopGradient();
        NDArray kept = detached.duplicate();
        detached.close();
        kept.attach(manager);
        NDScope.unregister(kept);
        return kept;
    }

    private void resolve() {
        if (resolved()) {
            return;
        }
        accept(read(pendingArrays()));
    }

    /** The arrays to read: the units (when on the device), then the metric arrays. */
    private List<NDArray> pendingArrays() {
        List<NDArray> all = new ArrayList<>();
        if (units != null) {
            all.add(units);
        }
        all.addAll(arrays);
        return all;
    }

    private void accept(List<double[]> values) {
        int first = 0;
        if (units != null) {
            unitsValue = values.get(0)[0];
            first = 1;
        }
        MetricBag b = new MetricBag();
        reader.addTo(b, values.subList(first, values.size()));
        bag = b;
    }

    /**
     * Reads {@code extra} and the arrays of every unresolved {@code pending} in one host transfer;
     * resolves them and returns the host copies of {@code extra}.
     */
    static List<double[]> readAll(List<NDArray> extra, List<DeferredMetrics> pending) {
        List<NDArray> all = new ArrayList<>(extra);
        List<DeferredMetrics> open = new ArrayList<>();
        for (DeferredMetrics d : pending) {
            if (!d.resolved()) {
                open.add(d);
                all.addAll(d.pendingArrays());
            }
        }
        List<double[]> values = read(all);
        int at = extra.size();
        for (DeferredMetrics d : open) {
            int n = d.pendingArrays().size();
            d.accept(values.subList(at, at + n));
            at += n;
        }
        return values.subList(0, extra.size());
    }

    /**
     * The values of {@code arrays} as doubles through one device-to-host copy (flattened to float64
     * and concatenated on the device).
     */
    static List<double[]> read(List<NDArray> arrays) {
        if (arrays.isEmpty()) {
            return List.of();
        }
        NDManager tmp = arrays.get(0).getManager().newSubManager();
        try (tmp) {
            NDList flat = new NDList();
            int[] sizes = new int[arrays.size()];
            for (int i = 0; i < arrays.size(); i++) {
                NDArray a = arrays.get(i);
                sizes[i] = Math.toIntExact(a.size());
                NDArray f =
                        a.getDataType() == DataType.FLOAT64
                                ? a.reshape(-1)
                                : a.toType(DataType.FLOAT64, false).reshape(-1);
                f.attach(tmp);
                flat.add(f);
            }
            NDArray joined = flat.size() == 1 ? flat.get(0) : ai.djl.ndarray.NDArrays.concat(flat);
            joined.attach(tmp);
            double[] all = joined.toDoubleArray();
            HOST_READS.incrementAndGet();
            List<double[]> out = new ArrayList<>(sizes.length);
            int at = 0;
            for (int size : sizes) {
                double[] v = new double[size];
                System.arraycopy(all, at, v, 0, size);
                out.add(v);
                at += size;
            }
            return out;
        }
    }
}
