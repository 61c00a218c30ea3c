package dev.reward4j.trainers.experiment;

import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolved settings of one experiment method: annotation defaults overridden by JUnit configuration
 * parameters.
 *
 * <p>Device precedence (see {@link #device(Optional, Optional)}): the {@value #DEVICE} parameter
 * when present (the experiment launcher sets it only for {@code --device}; otherwise a {@code -D}
 * system property or {@code junit-platform.properties} can), else the {@link
 * RewardExperiment#device()} of the method or its class, whose default is {@code cpu}.
 *
 * @param device device name as given ({@code cpu}, {@code gpu}, {@code gpu:N}, {@code auto})
 * @param seed experiment seed
 * @param outputRoot root directory of all experiment outputs
 * @param resume continue in the newest previous run directory instead of a fresh one
 */
public record ExperimentSettings(String device, long seed, Path outputRoot, boolean resume) {
    /** Configuration parameter overriding the device. */
    public static final String DEVICE = "reward4j.experiment.device";

    /** Configuration parameter overriding the seed. */
    public static final String SEED = "reward4j.experiment.seed";

    /** Configuration parameter for the output root (default {@code target/experiments}). */
    public static final String OUTPUT = "reward4j.experiment.output";

    /** Configuration parameter overriding {@link RewardExperiment#resume()} ({@code true}). */
    public static final String RESUME = "reward4j.experiment.resume";

    /** Settings that start a fresh run directory. */
    public ExperimentSettings(String device, long seed, Path outputRoot) {
        this(device, seed, outputRoot, false);
    }

    /** The settings of the experiment method or class of {@code context}. */
    public static ExperimentSettings of(ExtensionContext context) {
        RewardExperiment a =
                annotation(context.getElement(), context.getTestClass())
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "RewardExperiment: no @RewardExperiment on "
                                                        + context.getUniqueId()
                                                        + "; expected one on the method or its"
                                                        + " class"));
        String device = device(context.getConfigurationParameter(DEVICE), Optional.of(a));
        long seed = context.getConfigurationParameter(SEED).map(Long::parseLong).orElse(a.seed());
        Path out =
                Paths.get(context.getConfigurationParameter(OUTPUT).orElse("target/experiments"));
        boolean resume =
                context.getConfigurationParameter(RESUME)
                        .map(Boolean::parseBoolean)
                        .orElse(a.resume());
        return new ExperimentSettings(device, seed, out, resume);
    }

    /**
     * The device an experiment runs on: {@code override} (the {@value #DEVICE} parameter) when
     * present, else the annotation's {@link RewardExperiment#device()} (itself {@code cpu} unless
     * set), else {@code cpu}.
     */
    public static String device(Optional<String> override, Optional<RewardExperiment> annotation) {
        return override.or(() -> annotation.map(RewardExperiment::device)).orElse("cpu");
    }

    /**
     * The {@link RewardExperiment} on {@code element} (a method or class), else on {@code
     * testClass}.
     */
    public static Optional<RewardExperiment> annotation(
            Optional<? extends AnnotatedElement> element, Optional<? extends Class<?>> testClass) {
        return AnnotationSupport.findAnnotation(element, RewardExperiment.class)
                .or(() -> AnnotationSupport.findAnnotation(testClass, RewardExperiment.class));
    }
}
