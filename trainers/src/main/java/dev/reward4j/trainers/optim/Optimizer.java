package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * What the training loop needs from an optimizer: the parameters it updates, one update from the
 * accumulated gradients, and its state in a checkpoint directory. {@link AdamW} implements it; any
 * other update rule plugs into {@link dev.reward4j.trainers.loop.LoopParts} the same way.
 *
 * <p>Contract: {@link #step} runs with grad mode off, outside any {@code NDScope} (lazily created
 * state would otherwise be closed with the scope), and zeroes the gradients of every parameter it
 * updates (DJL's gradient collector accumulates into them). The state lives in a manager the
 * optimizer owns and frees in {@link #close()}.
 */
public interface Optimizer extends AutoCloseable {
    /** The optimized parameters by name, in a stable order (unmodifiable). */
    Map<String, NDArray> namedParameters();

    /** The optimized parameters, in the order of {@link #namedParameters()}. */
    default Collection<NDArray> parameters() {
        return namedParameters().values();
    }

    /**
     * Applies one update at learning rate {@code lr} from the current gradients multiplied by
     * {@code gradMultiplier} (the loop's unscale and clip factor, see {@link
     * GlobalNormClip.Result#gradMultiplier()}), then zeroes the gradients.
     */
    void step(double lr, double gradMultiplier);

    /**
     * True when the update reads the gradients inside one fused native call (no per-parameter host
     * work); the loop then measures the gradient norm with one multi-tensor kernel too.
     *
     * @return false unless the implementation fuses its update
     */
    default boolean isFused() {
        return false;
    }

    /** Writes the optimizer state into checkpoint directory {@code dir} (its {@code state()}). */
    void save(Path dir) throws IOException;

    /**
     * Restores the state {@link #save(Path)} wrote (its {@code restore()}).
     *
     * @throws IllegalArgumentException when the saved state does not fit these parameters
     */
    void load(Path dir) throws IOException;

    /** Frees the optimizer state. */
    @Override
    void close();
}
