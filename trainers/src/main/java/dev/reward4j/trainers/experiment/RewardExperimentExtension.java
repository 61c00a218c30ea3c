package dev.reward4j.trainers.experiment;

import dev.reward4j.trainers.device.DeviceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension behind {@link RewardExperiment}: resolves {@link RunContext} parameters, times
 * the method and, right after it, writes {@code result.json} with its status (from the method's
 * exception), metrics and artifacts; publishes the file's path as report entry {@value #REPORT_KEY}
 * so launchers can collect it.
 *
 * <p>Every run of a method gets a fresh directory {@code <output
 * root>/<class>/<method>/run-<time>}, so a second {@code mvn test} never continues (or overwrites)
 * the previous run; with resume asked for ({@link RewardExperiment#resume()} or {@value
 * ExperimentSettings#RESUME}{@code =true}) the newest previous run directory is reused and {@link
 * RunContext#resume()} is true.
 */
public final class RewardExperimentExtension
        implements ParameterResolver, BeforeTestExecutionCallback, AfterTestExecutionCallback {
    /** Report-entry key under which the path of {@code result.json} is published. */
    public static final String REPORT_KEY = "reward4j.experiment.result";

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(RewardExperimentExtension.class);
    private static final String CONTEXT = "context";
    private static final String START = "start";
    private static final String RUN_PREFIX = "run-";
    private static final DateTimeFormatter RUN_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return runContext(context);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(NS).put(START, System.nanoTime());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Throwable cause = context.getExecutionException().orElse(null);
        String status =
                cause == null
                        ? "SUCCESSFUL"
                        : cause instanceof TestAbortedException ? "ABORTED" : "FAILED";
        finish(context, status, cause);
    }

    private static RunContext runContext(ExtensionContext context) {
        return context.getStore(NS)
                .getOrComputeIfAbsent(CONTEXT, k -> create(context), RunContext.class);
    }

    private static RunContext create(ExtensionContext context) {
        ExperimentSettings s = ExperimentSettings.of(context);
        String id = id(context);
        Path base = s.outputRoot().resolve(id).toAbsolutePath().normalize();
        try {
            Files.createDirectories(base);
            Optional<Path> previous = s.resume() ? newestRun(base) : Optional.empty();
            Path dir = previous.isPresent() ? previous.get() : freshRun(base);
            return new RunContext(
                    id, DeviceSpec.resolve(s.device()), s.seed(), dir, previous.isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "RewardExperiment: cannot create an output directory under " + base, e);
        }
    }

    /** A new {@code run-<yyyyMMdd-HHmmss-SSS>} directory (with a suffix when that exists). */
    private static Path freshRun(Path base) throws IOException {
        String stamp = LocalDateTime.now().format(RUN_STAMP);
        for (int k = 1; ; k++) {
            Path dir = base.resolve(RUN_PREFIX + stamp + (k == 1 ? "" : "-" + k));
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // another run of the same millisecond: take the next suffix
            }
        }
    }

    /** The newest {@code run-*} directory of {@code base} (names sort by time). */
    private static Optional<Path> newestRun(Path base) throws IOException {
        try (Stream<Path> runs = Files.list(base)) {
            return runs.filter(
                            p ->
                                    Files.isDirectory(p)
                                            && p.getFileName().toString().startsWith(RUN_PREFIX))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    private static String id(ExtensionContext context) {
        String cls = context.getRequiredTestClass().getName();
        cls = cls.substring(cls.lastIndexOf('.') + 1).replace('$', '.');
        String method = context.getTestMethod().map(Method::getName).orElse("class");
        // parameterized / repeated invocations share a method name: keep them apart by their index
        // in the unique id
        String uid = context.getUniqueId();
        String suffix =
                uid.matches(".*\\[(test-template-invocation|dynamic-test):#\\d+]$")
                        ? "-" + uid.replaceAll(".*:#(\\d+)]$", "$1")
                        : "";
        return cls + "/" + method + suffix;
    }

    private static void finish(ExtensionContext context, String status, Throwable cause) {
        RunContext run = runContext(context);
        Long start = context.getStore(NS).get(START, Long.class);
        long millis = start == null ? 0 : (System.nanoTime() - start) / 1_000_000;
        ExperimentSettings s = ExperimentSettings.of(context);
        ExperimentResult result =
                new ExperimentResult(
                        run.id(),
                        context.getRequiredTestClass().getName(),
                        context.getTestMethod().map(Method::getName).orElse(""),
                        status,
                        cause == null
                                ? null
                                : cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                        s.device(),
                        run.seed(),
                        millis,
                        run.metrics().scalars(),
                        run.metrics().series(),
                        run.artifacts().names(),
                        run.outputDir().toString());
        Path file = run.outputDir().resolve("result.json");
        try {
            ArtifactWriter.JSON.writeValue(file.toFile(), result);
        } catch (IOException e) {
            throw new UncheckedIOException("RewardExperiment: cannot write " + file, e);
        }
        context.publishReportEntry(Map.of(REPORT_KEY, file.toString()));
    }
}
