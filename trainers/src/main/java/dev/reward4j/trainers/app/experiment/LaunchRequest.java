package dev.reward4j.trainers.app.experiment;

import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.experiment.RewardExperiment;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link ExperimentLauncher} runs: selectors, device, output directory and an optional seed
 * override.
 *
 * <p>A selector is a class name ({@code com.acme.MyExperiment}), a method ({@code
 * com.acme.MyExperiment#run}) or a package ({@code package:com.acme}).
 *
 * @param selectors what to run (at least one)
 * @param device device override for every experiment: {@code cpu}, {@code gpu}, {@code gpu:N} or
 *     {@code auto}; empty = each experiment's own {@link RewardExperiment#device()} (itself {@code
 *     cpu} unless set)
 * @param outputDir where experiment outputs and the summary go
 * @param seed seed override for every experiment (empty = each experiment's own)
 */
public record LaunchRequest(
        List<String> selectors, Optional<String> device, Path outputDir, OptionalLong seed) {
    /** Validates and copies. */
    public LaunchRequest {
        if (selectors == null || selectors.isEmpty()) {
            throw new IllegalArgumentException(
                    "ExperimentLauncher: no selectors (0); expected at least one class,"
                            + " Class#method or package:name");
        }
        selectors = List.copyOf(selectors);
        if (device == null) {
            throw new IllegalArgumentException(
                    "ExperimentLauncher: device is null; expected Optional.empty() to keep each"
                            + " experiment's own device");
        }
        // syntax only: the GPU count is checked per experiment
        device.ifPresent(d -> DeviceSpec.resolve(d, () -> Integer.MAX_VALUE));
        if (outputDir == null) {
            throw new IllegalArgumentException(
                    "ExperimentLauncher: outputDir is null; expected a directory");
        }
    }

    /**
     * Runs {@code selectors} into {@code target/experiments}, each experiment on its own device and
     * with its own seed (from its {@link RewardExperiment}).
     */
    public static LaunchRequest of(String... selectors) {
        return new LaunchRequest(
                List.of(selectors),
                Optional.empty(),
                Paths.get("target/experiments"),
                OptionalLong.empty());
    }

    /** This request overriding every experiment's device. */
    public LaunchRequest withDevice(String value) {
        return new LaunchRequest(selectors, Optional.of(value), outputDir, seed);
    }

    /** This request writing into another directory. */
    public LaunchRequest withOutputDir(Path value) {
        return new LaunchRequest(selectors, device, value, seed);
    }

    /** This request overriding every experiment's seed. */
    public LaunchRequest withSeed(long value) {
        return new LaunchRequest(selectors, device, outputDir, OptionalLong.of(value));
    }

    /**
     * Parses command-line arguments: {@code [--device D] [--out DIR] [--seed N] SELECTOR...}.
     * Without {@code --device} every experiment keeps its own device; without {@code --seed} its
     * own seed.
     *
     * @throws IllegalArgumentException on an unknown option or a missing value
     */
    public static LaunchRequest parse(String... args) {
        List<String> selectors = new ArrayList<>();
        Optional<String> device = Optional.empty();
        Path out = Paths.get("target/experiments");
        OptionalLong seed = OptionalLong.empty();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(
                            "ExperimentLauncher: option "
                                    + a
                                    + " has no value; expected "
                                    + a
                                    + " VALUE");
                }
                String v = args[++i];
                switch (a) {
                    case "--device" -> device = Optional.of(v);
                    case "--out" -> out = Paths.get(v);
                    case "--seed" -> seed = OptionalLong.of(Long.parseLong(v));
                    default ->
                            throw new IllegalArgumentException(
                                    "ExperimentLauncher: unknown option '"
                                            + a
                                            + "'; expected --device, --out or --seed");
                }
            } else {
                selectors.add(a);
            }
        }
        return new LaunchRequest(selectors, device, out, seed);
    }
}
