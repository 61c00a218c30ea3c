package dev.reward4j.losses;

/**
 * Result of {@link UnpairedLosses#bco}: the loss and diagnostics plus the next reward-shift state.
 *
 * @param output loss and diagnostics ({@code referencePoint} is the shift \( \delta \) used)
 * @param state the updated running-mean state to pass to the next step
 */
public record BcoOutput(UnpairedOutput output, BcoState state) {}
