/**
 * Experiments as JUnit 5 classes.
 *
 * <p>Annotate a class or method with {@link dev.reward4j.trainers.experiment.RewardExperiment};
 * each experiment method may take a {@link dev.reward4j.trainers.experiment.RunContext} parameter
 * (device, seed, its own output directory, a metric recorder, an artifact writer, an {@code
 * NDManager} on the device). After the method the extension writes {@code result.json} (status,
 * failure, duration, metrics, artifacts) into that directory; assertions in the method decide pass
 * or fail as in any test. {@link dev.reward4j.trainers.experiment.ExperimentLauncher} runs selected
 * classes through the JUnit Platform on a chosen device and writes {@code summary.json} and {@code
 * summary.md}.
 */
package dev.reward4j.trainers.experiment;
