package dev.reward4j.trainers.config;

/**
 * {@code checkpoint:} when to save and what to keep.
 *
 * @param every save every this many steps (0 = at the end only)
 * @param keepLast checkpoints to keep
 * @param resume continue from the newest checkpoint in {@code <output_dir>/checkpoints} when there
 *     is one
 */
public record CheckpointSection(int every, int keepLast, boolean resume) {
    /** Validates the values. */
    public CheckpointSection {
        Require.atLeast(every, 0, "every");
        Require.atLeast(keepLast, 1, "keep_last");
    }

    /** Every 500 steps, keep 2, resume automatically. */
    public static CheckpointSection defaults() {
        return new CheckpointSection(500, 2, true);
    }
}
