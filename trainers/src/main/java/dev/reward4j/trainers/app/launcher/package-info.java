/**
 * The command-line entry point {@code reward4j train | eval | score | demo} ({@link
 * dev.reward4j.trainers.app.launcher.Reward4j}): parses arguments and configuration files, runs the
 * library ({@link dev.reward4j.trainers.run.TrainRun}, the scorers of {@code
 * dev.reward4j.trainers.eval}) and prints and writes what a person reads (progress, summaries, the
 * HTML report).
 */
package dev.reward4j.trainers.app.launcher;
