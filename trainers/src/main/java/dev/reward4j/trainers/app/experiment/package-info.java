/**
 * The experiment launcher: runs selected {@link dev.reward4j.trainers.experiment.RewardExperiment}
 * classes through the JUnit Platform on a chosen device and writes {@code summary.json} and {@code
 * summary.md}.
 */
package dev.reward4j.trainers.app.experiment;
