package dev.reward4j.trainers.experiment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;
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

  /**
   * Parses {@code cpu}, {@code gpu} or {@code gpu:N} into a DJL device and checks that a requested GPU exists.
   *
   * @throws IllegalArgumentException for an unknown name or a missing GPU
   */
  static Device parseDevice(String name) {
    Optional<Integer> id = parseDeviceName(name);
    if (id.isEmpty()) {
      return Device.cpu();
    }
    int gpu = id.get();
    int available = Engine.getInstance().getGpuCount();
    if (gpu >= available) {
      throw new IllegalArgumentException("RewardExperiment.device: " + name + " requested but " + available
          + " GPU(s) visible; expected gpu:N with N < " + available
          + ". Run on a CUDA host with pytorch-native-cu128 or use --device cpu");
    }
    return Device.gpu(gpu);
  }

  /**
   * Checks the syntax of a device name without touching the engine: empty for {@code cpu}, the GPU index for {@code
   * gpu} ({@code 0}) or {@code gpu:N}.
   *
   * @throws IllegalArgumentException for anything else
   */
  static Optional<Integer> parseDeviceName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("cpu")) {
      return Optional.empty();
    }
    if (n.equals("gpu")) {
      return Optional.of(0);
    }
    if (n.matches("gpu:\\d{1,3}")) {
      return Optional.of(Integer.parseInt(n.substring(4)));
    }
    throw new IllegalArgumentException(
        "RewardExperiment.device: unknown device '" + name + "'; expected cpu, gpu or gpu:N");
  }
}
