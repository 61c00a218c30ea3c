package dev.reward4j.core.data;

/**
 * Where padding goes. Both are correct for scoring: the score index comes from the attention mask.
 */
public enum PaddingSide {
    /** Padding before the tokens (the last real token is at T-1). */
    LEFT,
    /** Padding after the tokens (the usual training layout). */
    RIGHT
}
