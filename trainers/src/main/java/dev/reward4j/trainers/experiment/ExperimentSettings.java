package dev.reward4j.trainers.experiment;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolved settings of one experiment method: annotation defaults overridden by JUnit configuration parameters.
 *
 * @param device device name as given ({@code cpu}, {@code gpu}, {@code gpu:N})
 * @param seed experiment seed
 * @param outputRoot root directory of all experiment outputs
 */
record ExperimentSettings(String device, long seed, Path outputRoot) {
  /** Configuration parameter overriding the device. */
  static final String DEVICE = "reward4j.experiment.device";
  /** Configuration parameter overriding the seed. */
  static final String SEED = "reward4j.experiment.seed";
  /** Configuration parameter for the output root (default {@code target/experiments}). */
  static final String OUTPUT = "reward4j.experiment.output";

  static ExperimentSettings of(ExtensionContext context) {
    RewardExperiment a =
        AnnotationSupport.findAnnotation(context.getElement(), RewardExperiment.class)
            .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, RewardExperiment.class)))
            .orElseThrow(() -> new IllegalStateException("RewardExperiment: no @RewardExperiment on "
                + context.getUniqueId() + "; expected one on the method or its class"));
    String device = context.getConfigurationParameter(DEVICE).orElse(a.device());
    long seed = context.getConfigurationParameter(SEED).map(Long::parseLong).orElse(a.seed());
    Path out = Paths.get(context.getConfigurationParameter(OUTPUT).orElse("target/experiments"));
    return new ExperimentSettings(device, seed, out);
  }
}
