/**
 * Experiments as JUnit 5 classes.
 *
 * <p>Annotate a class or method with {@link dev.reward4j.trainers.experiment.RewardExperiment};
 * each experiment method may take a {@link dev.reward4j.trainers.experiment.RunContext} parameter
 * (device, seed, its own output directory, a metric recorder, an artifact writer, an {@code
 * NDManager} on the device). After the method the extension writes {@code result.json} (status,
 * failure, duration, metrics, artifacts) into that directory; assertions in the method decide pass
 * or fail as in any test. The command-line experiment launcher is application code ({@code
 * dev.reward4j.trainers.app.experiment}).
 */
package dev.reward4j.trainers.experiment;
