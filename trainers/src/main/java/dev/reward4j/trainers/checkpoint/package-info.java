/**
 * Atomic checkpoints: every checkpoint is written into a temporary directory, fsynced and renamed
 * into place, so a failure or a kill during a save leaves the previous checkpoint loadable. A
 * checkpoint holds the model in Hugging Face format, the optimizer state, the {@link
 * dev.reward4j.trainers.checkpoint.TrainerState} (step, data position, loss scale, seed), the
 * resolved configuration and a {@link dev.reward4j.trainers.checkpoint.RunInfo} {@code run.json}.
 */
package dev.reward4j.trainers.checkpoint;
