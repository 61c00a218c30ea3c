package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Result of an unpaired objective (KTO, BCO). Arrays are attached to the manager of {@code
 * logps.policy()}; only {@link #loss()} carries gradient.
 *
 * @param loss reduced loss (scalar), or the weighted per-example losses {@code (B)} for NONE
 * @param perExample unweighted per-example loss {@code (B)}, detached
 * @param reward implicit reward \( \beta(\log\pi_\theta - \log\pi_{ref}) \) {@code (B)}, detached
 * @param referencePoint the scalar reference point: KTO's KL reference point \( z_0 \) (in nats,
 *     not multiplied by beta) or BCO's reward shift \( \delta \); 0-dimensional, detached
 * @param accuracy {@code (B)} 1 where the example is on the right side of the reference point
 *     (desirable: \( \beta\rho > \beta z_0 \) resp. \( r > \delta \); undesirable: below), detached
 */
public record UnpairedOutput(
        NDArray loss,
        NDArray perExample,
        NDArray reward,
        NDArray referencePoint,
        NDArray accuracy) {}
