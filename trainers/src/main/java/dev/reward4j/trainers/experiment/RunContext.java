package dev.reward4j.trainers.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * What an experiment method gets from {@link RewardExperiment}: device, seed, its own output
 * directory, a metric recorder and an artifact writer, plus a lazily created {@link NDManager} on
 * the device that is closed after the method.
 */
public final class RunContext implements AutoCloseable {
    private final String id;
    private final Device device;
    private final long seed;
    private final Path outputDir;
    private final MetricRecorder metrics = new MetricRecorder();
    private final ArtifactWriter artifacts;
    private NDManager manager;

    RunContext(String id, Device device, long seed, Path outputDir) {
        this.id = id;
        this.device = device;
        this.seed = seed;
        this.outputDir = outputDir;
        this.artifacts = new ArtifactWriter(outputDir.resolve("artifacts"));
    }

    /** The experiment id: {@code <class simple name>/<method name>}. */
    public String id() {
        return id;
    }

    /** The device the experiment should run on. */
    public Device device() {
        return device;
    }

    /** The experiment seed. */
    public long seed() {
        return seed;
    }

    /** This experiment's own output directory ({@code <output root>/<class>/<method>}). */
    public Path outputDir() {
        return outputDir;
    }

    /** The metric recorder (scalars and series, written to {@code result.json}). */
    public MetricRecorder metrics() {
        return metrics;
    }

    /** The artifact writer (files under {@code outputDir()/artifacts}). */
    public ArtifactWriter artifacts() {
        return artifacts;
    }

    /** A base manager on {@link #device()}, created on first use and closed after the method. */
    public synchronized NDManager manager() {
        if (manager == null) {
            manager = NDManager.newBaseManager(device);
        }
        return manager;
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }
}
