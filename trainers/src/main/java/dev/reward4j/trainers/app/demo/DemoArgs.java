package dev.reward4j.trainers.app.demo;

import dev.reward4j.core.synth.ArithmeticTask;
import dev.reward4j.core.synth.ConsistencyTask;
import dev.reward4j.core.synth.ConstraintTask;
import dev.reward4j.core.synth.SynthTask;
import dev.reward4j.trainers.device.DeviceSpec;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed command line of {@link DemoJob}.
 *
 * @param config the job config ({@link DemoConfig#defaults()} or {@link DemoConfig#tiny()}, with
 *     overrides)
 * @param outputDir output directory
 * @param device device name
 */
record DemoArgs(DemoConfig config, Path outputDir, String device) {
    static final String USAGE =
            "usage: reward4j demo [--out DIR] [--device cpu|gpu|gpu:N|auto] [--seed N] [--steps N]"
                    + " [--tasks arithmetic,constraint,consistency] [--tiny]";

    /**
     * Parses {@code [--out DIR] [--device D] [--seed N] [--steps N] [--tiny]}.
     *
     * @throws IllegalArgumentException on an unknown option or a bad value
     */
    static DemoArgs parse(String... args) {
        DemoConfig config =
                java.util.Arrays.asList(args).contains("--tiny")
                        ? DemoConfig.tiny()
                        : DemoConfig.defaults();
        Path out = null;
        String device = "cpu";
        Long seed = null;
        Long steps = null;
        List<SynthTask> tasks = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--tiny")) {
                continue; // applied first, so that --seed/--steps override it in any order
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "demo: unexpected argument '" + a + "'; expected an option with a value");
            }
            String v = args[++i];
            switch (a) {
                case "--out" -> out = Paths.get(v);
                case "--device" -> device = v;
                case "--seed" -> seed = number(a, v);
                case "--steps" -> steps = number(a, v);
                case "--tasks" -> tasks = tasks(v);
                default ->
                        throw new IllegalArgumentException(
                                "demo: unknown option '"
                                        + a
                                        + "'; expected --out, --device, --seed, --steps, --tasks or"
                                        + " --tiny");
            }
        }
        DeviceSpec.resolve(
                device,
                () -> Integer.MAX_VALUE); // syntax only; availability is checked when the model
        // is built
        if (seed != null) {
            config = config.withSynth(config.synth().withSeed(seed));
        }
        if (tasks != null) {
            config = config.withSynth(config.synth().withTasks(tasks));
        }
        if (steps != null) {
            config = config.withSteps(steps);
        }
        return new DemoArgs(config, out == null ? DemoJob.defaultOutputDir() : out, device);
    }

    /**
     * Parses a comma-separated task list: {@code arithmetic}, {@code constraint}, {@code
     * consistency}.
     */
    private static List<SynthTask> tasks(String value) {
        List<SynthTask> out = new ArrayList<>();
        for (String t : value.split(",")) {
            out.add(
                    switch (t.trim()) {
                        case "arithmetic" -> ArithmeticTask.defaults();
                        case "constraint" -> ConstraintTask.defaults();
                        case "consistency" -> ConsistencyTask.defaults();
                        default ->
                                throw new IllegalArgumentException(
                                        "demo: unknown task '"
                                                + t
                                                + "' in --tasks; expected arithmetic, constraint or"
                                                + " consistency");
                    });
        }
        return out;
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "demo: "
                            + option
                            + " ("
                            + value
                            + ") is not an integer; expected e.g. "
                            + option
                            + " 42",
                    e);
        }
    }
}
