package dev.reward4j.trainers.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the files of one checkpoint into a (temporary) directory. */
@FunctionalInterface
public interface CheckpointWriter {
    /** Writes every file of the checkpoint into {@code dir}, which exists and is empty. */
    void writeTo(Path dir) throws IOException;
}
