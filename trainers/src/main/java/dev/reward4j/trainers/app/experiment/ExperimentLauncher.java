package dev.reward4j.trainers.app.experiment;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.experiment.ExperimentResult;
import dev.reward4j.trainers.experiment.ExperimentSettings;
import dev.reward4j.trainers.experiment.RewardExperiment;
import dev.reward4j.trainers.experiment.RewardExperimentExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs selected experiment classes through the JUnit Platform on a chosen device and writes {@code
 * summary.json} and {@code summary.md} into the output directory.
 *
 * <pre>
 * java -cp ... dev.reward4j.trainers.app.experiment.ExperimentLauncher --device gpu --out runs/exp1 com.acme.MyExperiment
 * </pre>
 *
 * <p>The device, seed and output directory reach the experiments as JUnit configuration parameters
 * (see {@link RewardExperiment}). Device precedence: {@code --device} given → it overrides every
 * experiment; not given → each experiment's {@link RewardExperiment#device()}; neither → {@code
 * cpu} (the annotation's default). The seed works the same way with {@code --seed}. Exit status 0
 * when every experiment passed, 1 otherwise, 2 on bad arguments.
 */
public final class ExperimentLauncher {
    private ExperimentLauncher() {}

    /** Command-line entry point: {@code [--device D] [--out DIR] [--seed N] SELECTOR...}. */
    public static void main(String[] args) {
        LaunchRequest request;
        try {
            request = LaunchRequest.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(
                    "usage: ExperimentLauncher [--device cpu|gpu|gpu:N|auto] [--out DIR] [--seed N]"
                            + " CLASS | CLASS#METHOD | package:NAME ...\n"
                            + "  --device  overrides every experiment's @RewardExperiment device"
                            + " (default: its own, else cpu)\n"
                            + "  --seed    overrides every experiment's @RewardExperiment seed"
                            + " (default: its own)\n"
                            + "  --out     output directory (default: target/experiments)");
            System.exit(2);
            return;
        }
        // an explicit --device cpu: the engine's CUDA probe warning is noise (see CudaProbeLog)
        request.device().ifPresent(CudaProbeLog::quietForCpu);
        ExperimentSummary summary = run(request);
        System.out.print(summary.markdown());
        System.out.println(
                "summary: " + request.outputDir().resolve("summary.md").toAbsolutePath());
        System.exit(summary.successful() ? 0 : 1);
    }

    /**
     * Runs {@code request}, writes the summary files into its output directory and returns the
     * summary.
     */
    public static ExperimentSummary run(LaunchRequest request) {
        Path out = request.outputDir().toAbsolutePath().normalize();
        LauncherDiscoveryRequestBuilder builder =
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectors(request.selectors()))
                        .configurationParameter(ExperimentSettings.OUTPUT, out.toString());
        // no --device: leave the parameter unset so that each experiment's annotation decides
        request.device()
                .ifPresent(d -> builder.configurationParameter(ExperimentSettings.DEVICE, d));
        request.seed()
                .ifPresent(
                        s ->
                                builder.configurationParameter(
                                        ExperimentSettings.SEED, Long.toString(s)));
        LauncherDiscoveryRequest discovery = builder.build();

        Collector collector = new Collector(request.device());
        Instant start = Instant.now();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(discovery, collector);
        ExperimentSummary summary =
                collector.summary(start, System.currentTimeMillis() - start.toEpochMilli());
        summary.write(out);
        return summary;
    }

    private static DiscoverySelector[] selectors(List<String> names) {
        List<DiscoverySelector> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("package:")) {
                out.add(selectPackage(n.substring("package:".length())));
            } else if (n.contains("#")) {
                out.add(method(n));
            } else {
                out.add(selectClass(n));
            }
        }
        return out.toArray(new DiscoverySelector[0]);
    }

    /**
     * {@code Class#name} selects every method of that name (JUnit's string form would need the
     * parameter types).
     */
    private static DiscoverySelector method(String selector) {
        if (selector.contains("(")) {
            return selectMethod(selector);
        }
        String cls = selector.substring(0, selector.indexOf('#'));
        String name = selector.substring(selector.indexOf('#') + 1);
        try {
            Class<?> c = Class.forName(cls, false, Thread.currentThread().getContextClassLoader());
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return selectMethod(c, m);
                }
            }
        } catch (ClassNotFoundException e) {
            // fall through: JUnit reports the unresolvable selector
        }
        return selectMethod(selector);
    }

    /** Collects statuses and the result files published by {@link RewardExperimentExtension}. */
    private static final class Collector implements TestExecutionListener {
        private final Optional<String> device;
        private final Map<String, ExperimentResult> results = new LinkedHashMap<>();
        private final Map<String, String> resultFiles = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();
        private final Map<String, Long> starts = new LinkedHashMap<>();
        private int succeeded;
        private int failed;
        private int aborted;
        private int skipped;

        Collector(Optional<String> device) {
            this.device = device;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            starts.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            String file = entry.getKeyValuePairs().get(RewardExperimentExtension.REPORT_KEY);
            if (file != null) {
                resultFiles.put(id.getUniqueId(), file);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                skipped++;
                results.put(id.getUniqueId(), plain(id, "SKIPPED", reason, 0));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            String failure =
                    result.getThrowable()
                            .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                            .orElse(null);
            if (!id.isTest()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    errors.add(id.getDisplayName() + ": " + failure);
                }
                return;
            }
            String status = result.getStatus().name();
            switch (result.getStatus()) {
                case SUCCESSFUL -> succeeded++;
                case FAILED -> failed++;
                case ABORTED -> aborted++;
            }
            long millis =
                    (System.nanoTime() - starts.getOrDefault(id.getUniqueId(), System.nanoTime()))
                            / 1_000_000;
            ExperimentResult recorded = read(resultFiles.get(id.getUniqueId()));
            results.put(
                    id.getUniqueId(),
                    recorded == null
                            ? plain(id, status, failure, millis)
                            // the launcher's status is final: it also covers @AfterEach failures
                            // that happen after result.json
                            : new ExperimentResult(
                                    recorded.id(),
                                    recorded.className(),
                                    recorded.method(),
                                    status,
                                    failure,
                                    recorded.device(),
                                    recorded.seed(),
                                    recorded.durationMillis(),
                                    recorded.metrics(),
                                    recorded.series(),
                                    recorded.artifacts(),
                                    recorded.outputDir()));
        }

        private ExperimentResult plain(
                TestIdentifier id, String status, String failure, long millis) {
            Optional<MethodSource> m =
                    id.getSource()
                            .filter(MethodSource.class::isInstance)
                            .map(MethodSource.class::cast);
            String cls = m.map(MethodSource::getClassName).orElse("");
            String method = m.map(MethodSource::getMethodName).orElse(id.getDisplayName());
            String simple = cls.substring(cls.lastIndexOf('.') + 1).replace('$', '.');
            return new ExperimentResult(
                    simple + "/" + method,
                    cls,
                    method,
                    status,
                    failure,
                    ExperimentSettings.device(device, m.flatMap(Collector::annotation)),
                    0,
                    millis,
                    Map.of(),
                    Map.of(),
                    List.of(),
                    null);
        }

        /**
         * The experiment's annotation, when its class still loads (an unloadable class was reported
         * by JUnit).
         */
        private static Optional<RewardExperiment> annotation(MethodSource source) {
            try {
                return ExperimentSettings.annotation(
                        Optional.of(source.getJavaMethod()), Optional.of(source.getJavaClass()));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        private static ExperimentResult read(String file) {
            if (file == null) {
                return null;
            }
            try {
                return ExperimentSummary.JSON.readValue(
                        Path.of(file).toFile(), ExperimentResult.class);
            } catch (IOException e) {
                throw new UncheckedIOException("ExperimentLauncher: cannot read " + file, e);
            }
        }

        ExperimentSummary summary(Instant start, long millis) {
            // without --device the experiments may differ: list the devices they used
            String used =
                    device.orElseGet(
                            () ->
                                    results.values().stream()
                                            .map(ExperimentResult::device)
                                            .distinct()
                                            .collect(Collectors.joining(", ")));
            return new ExperimentSummary(
                    used,
                    start.toString(),
                    millis,
                    succeeded,
                    failed,
                    aborted,
                    skipped,
                    new ArrayList<>(results.values()),
                    errors);
        }
    }
}
