package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Result of a preference objective whose model gives a preference probability rather than one
 * scalar reward per response: the general preference model (GPM), the mixture of Bradley-Terry
 * heads and the ideal-point model. All arrays are attached to the manager of the first input array
 * of the call; only {@link #loss()} carries gradient.
 *
 * @param loss the reduced loss (scalar for MEAN/SUM, {@code (B)} weighted losses for NONE)
 * @param perExample unweighted per-pair loss {@code (B)}, detached
 * @param probability {@code (B)} the model's probability that the chosen response is preferred,
 *     detached
 * @param accuracy {@code (B)}, 1 where {@code probability > 0.5} else 0, detached
 */
public record PreferenceOutput(
        NDArray loss, NDArray perExample, NDArray probability, NDArray accuracy) {

    /** Builds the output from the per-pair loss (with gradient) and the preference probability. */
    static PreferenceOutput of(
            NDArray perExample, NDArray probability, NDArray weight, Reduction reduction) {
        NDArray p = probability.stopGradient();
        return new PreferenceOutput(
                reduction.reduce(perExample, weight),
                perExample.stopGradient(),
                p,
                Numerics.greater(p, Numerics.scalar(p, 0.5)));
    }
}
