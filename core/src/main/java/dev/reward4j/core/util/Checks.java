package dev.reward4j.core.util;

import java.util.function.Supplier;

/**
 * Argument and state preconditions with messages in the house format {@code <component>: <what is
 * wrong> (<actual>); <expected>. <hint>}.
 *
 * <p>{@code IllegalArgumentException} for bad arguments, {@code IllegalStateException} for
 * lifecycle errors.
 */
public final class Checks {
    private Checks() {}

    /** Throws {@link IllegalArgumentException} with {@code message} unless {@code condition}. */
    public static void argument(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Lazy-message variant of {@link #argument(boolean, String)}. */
    public static void argument(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new IllegalArgumentException(message.get());
        }
    }

    /** Throws {@link IllegalStateException} with {@code message} unless {@code condition}. */
    public static void state(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** Lazy-message variant of {@link #state(boolean, String)}. */
    public static void state(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new IllegalStateException(message.get());
        }
    }

    /** Requires a finite, strictly positive value; returns it. */
    public static double positive(double value, String name) {
        argument(
                Double.isFinite(value) && value > 0,
                () -> name + " must be finite and > 0 (got " + value + ")");
        return value;
    }

    /** Requires a finite, non-negative value; returns it. */
    public static double nonNegative(double value, String name) {
        argument(
                Double.isFinite(value) && value >= 0,
                () -> name + " must be finite and >= 0 (got " + value + ")");
        return value;
    }

    /** Requires a strictly positive integer; returns it. */
    public static int positive(int value, String name) {
        argument(value > 0, () -> name + " must be > 0 (got " + value + ")");
        return value;
    }

    /** Requires {@code lo <= value <= hi} (and finite); returns it. */
    public static double inClosedRange(double value, double lo, double hi, String name) {
        argument(
                Double.isFinite(value) && value >= lo && value <= hi,
                () -> name + " must be in [" + lo + ", " + hi + "] (got " + value + ")");
        return value;
    }
}
