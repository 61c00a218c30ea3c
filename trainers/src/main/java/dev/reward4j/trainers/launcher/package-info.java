/**
 * The command-line entry point {@code reward4j train | eval | score} ({@link
 * dev.reward4j.trainers.launcher.Reward4j}) and the wiring that builds model, data, objective,
 * optimizer and loop from a {@link dev.reward4j.trainers.config.RunConfig}.
 */
package dev.reward4j.trainers.launcher;
