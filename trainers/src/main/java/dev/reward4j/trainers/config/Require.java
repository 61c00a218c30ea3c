package dev.reward4j.trainers.config;

import java.util.Set;

/** Validation helpers for config records: messages are {@code <key>: expected ... (got ...)}. */
final class Require {
    private Require() {}

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }

    static double positive(double v, String key) {
        if (!(Double.isFinite(v) && v > 0)) {
            throw new IllegalArgumentException(
                    key + ": expected a number > 0 (got " + fmt(v) + ")");
        }
        return v;
    }

    static double nonNegative(double v, String key) {
        if (!(Double.isFinite(v) && v >= 0)) {
            throw new IllegalArgumentException(
                    key + ": expected a number >= 0 (got " + fmt(v) + ")");
        }
        return v;
    }

    static double unitOpen(double v, String key) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(
                    key + ": expected a number in [0, 1) (got " + fmt(v) + ")");
        }
        return v;
    }

    static double unitClosed(double v, String key) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(
                    key + ": expected a number in [0, 1] (got " + fmt(v) + ")");
        }
        return v;
    }

    static long atLeast(long v, long min, String key) {
        if (v < min) {
            throw new IllegalArgumentException(
                    key + ": expected an integer >= " + min + " (got " + v + ")");
        }
        return v;
    }

    static String present(String v, String key, String hint) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + ": required (got nothing); " + hint);
        }
        return v;
    }

    static String oneOf(String v, Set<String> allowed, String key) {
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(
                    key + ": expected one of " + allowed + " (got '" + v + "')");
        }
        return v;
    }
}
