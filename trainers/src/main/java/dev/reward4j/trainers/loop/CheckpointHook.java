package dev.reward4j.trainers.loop;

import dev.reward4j.trainers.checkpoint.TrainerState;
import java.io.IOException;
import java.nio.file.Path;

/** Saves a checkpoint for the loop (model, optimizer, state, config, run.json), atomically. */
@FunctionalInterface
public interface CheckpointHook {
    /** Saves the checkpoint of {@code state.step()}; returns its directory. */
    Path save(TrainerState state) throws IOException;
}
