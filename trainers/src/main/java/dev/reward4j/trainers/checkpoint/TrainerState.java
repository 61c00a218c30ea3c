package dev.reward4j.trainers.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loop state saved with every checkpoint ({@code trainer_state.json}) so that a resumed run
 * continues exactly.
 *
 * @param step optimizer steps completed
 * @param epoch data position: epoch of the next micro-batch
 * @param index data position: index (in examples) within the epoch of the next micro-batch
 * @param seed the run seed (data order and any initialisation derive from it; the loop itself draws
 *     no random numbers)
 * @param lossScaler dynamic loss-scaler state, empty without loss scaling
 * @param skippedSteps optimizer steps skipped for non-finite gradients under loss scaling
 * @param objectiveState host-side objective state (e.g. BCO's running mean), empty when the
 *     objective has none
 */
public record TrainerState(
        long step,
        long epoch,
        long index,
        long seed,
        double[] lossScaler,
        long skippedSteps,
        double[] objectiveState) {
    /** File name inside a checkpoint directory. */
    public static final String FILE = "trainer_state.json";

    /** Validates the counters. */
    public TrainerState {
        Checks.argument(
                step >= 0 && epoch >= 0 && index >= 0,
                () ->
                        "trainer_state: negative counter (step "
                                + step
                                + ", epoch "
                                + epoch
                                + ", index "
                                + index
                                + ")");
        lossScaler = lossScaler == null ? new double[0] : lossScaler.clone();
        objectiveState = objectiveState == null ? new double[0] : objectiveState.clone();
    }

    /**
     * The state a fresh run starts from: step 0 at the start of epoch 0, no loss-scaler or
     * training-step state, no skipped steps.
     *
     * @param seed the run seed
     */
    public static TrainerState fresh(long seed) {
        return new TrainerState(0, 0, 0, seed, null, 0, null);
    }

    /** A state without objective state. */
    public TrainerState(
            long step, long epoch, long index, long seed, double[] lossScaler, long skippedSteps) {
        this(step, epoch, index, seed, lossScaler, skippedSteps, null);
    }

    /** Writes {@code trainer_state.json} into {@code dir}. */
    public void write(Path dir) throws IOException {
        new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve(FILE).toFile(), this);
    }

    /** Reads {@code trainer_state.json} from a checkpoint directory. */
    public static TrainerState read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Checks.argument(
                file.toFile().isFile(),
                () ->
                        "checkpoint: "
                                + file
                                + " is missing; is '"
                                + dir
                                + "' a reward4j checkpoint?");
        return new ObjectMapper().readValue(file.toFile(), TrainerState.class);
    }
}
