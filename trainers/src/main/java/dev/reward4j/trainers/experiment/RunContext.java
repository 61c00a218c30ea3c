package dev.reward4j.trainers.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.reward4j.trainers.Training;
import dev.reward4j.trainers.device.DeviceSpec;
import java.nio.file.Path;

/**
 * What an experiment method gets from {@link RewardExperiment}: device, seed, its own output
 * directory (fresh for every run unless resume was asked for), a metric recorder and an artifact
 * writer, a lazily created {@link NDManager} on the device that is closed after the method, and a
 * {@link Training} builder preset with all of these.
 */
public final class RunContext implements AutoCloseable {
    private final String id;
    private final Device device;
    private final long seed;
    private final Path outputDir;
    private final boolean resume;
    private final MetricRecorder metrics = new MetricRecorder();
    private final ArtifactWriter artifacts;
    private NDManager manager;

    RunContext(String id, Device device, long seed, Path outputDir, boolean resume) {
        this.id = id;
        this.device = device;
        this.seed = seed;
        this.outputDir = outputDir;
        this.resume = resume;
        this.artifacts = new ArtifactWriter(outputDir.resolve("artifacts"));
    }

    /** The experiment id: {@code <class simple name>/<method name>}. */
    public String id() {
        return id;
    }

    /**
     * The device the experiment runs on, by its configuration name ({@code cpu} or {@code gpu:N};
     * an {@code auto} setting is resolved), which {@code train.device} and {@link
     * Training#device(String)} accept.
     */
    public String device() {
        return DeviceSpec.name(device);
    }

    /** The DJL device the experiment runs on (e.g. for {@code NDManager.newBaseManager}). */
    public Device djlDevice() {
        return device;
    }

    /** The experiment seed. */
    public long seed() {
        return seed;
    }

    /**
     * This run's own output directory, {@code <output root>/<class>/<method>/run-<time>}: a new one
     * for every run, or the newest existing one when resume was asked for ({@link
     * RewardExperiment#resume()}, configuration parameter {@code reward4j.experiment.resume}).
     */
    public Path outputDir() {
        return outputDir;
    }

    /**
     * True when this run continues the previous run's directory (resume asked for and a previous
     * run exists); then a training in it should resume its checkpoints.
     */
    public boolean resume() {
        return resume;
    }

    /**
     * A training of the model in {@code modelDir} on this experiment's device and seed, writing
     * into {@code outputDir()/train} and resuming only when {@link #resume()}.
     */
    public Training training(Path modelDir) {
        return Training.model(modelDir)
                .device(device())
                .seed(seed)
                .outputDir(outputDir.resolve("train"))
                .resume(resume);
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
