package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Package-private argument checks (the losses module stays a leaf and does not use core's {@code
 * Checks}). Messages follow {@code <component>: <what is wrong> (<actual>); <expected>. <hint>}.
 */
final class LossChecks {
    private LossChecks() {}

    static IllegalArgumentException bad(
            String component, String what, Object actual, String expected) {
        String end = expected.endsWith(".") || expected.endsWith("?") ? "" : ".";
        return new IllegalArgumentException(
                component + ": " + what + " (" + actual + "); " + expected.strip() + end);
    }

    static NDArray required(String component, String name, NDArray a, String why) {
        if (a == null) {
            throw bad(component, name + " is missing", "null", "expected a non-null array " + why);
        }
        return a;
    }

    /** Floating dtype and the exact shape. */
    static NDArray floating(String component, String name, NDArray a) {
        required(component, name, a, "");
        DataType t = a.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64 && t != DataType.FLOAT16) {
            throw bad(
                    component,
                    name + " has a non-floating dtype",
                    t,
                    "expected float16, float32 or float64. Cast integer counts or masks with toType"
                            + " first");
        }
        return a;
    }

    /** Floating array of rank {@code rank}. */
    static NDArray floating(String component, String name, NDArray a, int rank, String expected) {
        floating(component, name, a);
        if (a.getShape().dimension() != rank) {
            throw bad(
                    component,
                    name + " has the wrong rank",
                    "shape " + a.getShape(),
                    "expected " + expected);
        }
        return a;
    }

    static void sameShape(String component, String name, NDArray a, String refName, Shape ref) {
        if (!a.getShape().equals(ref)) {
            throw bad(
                    component,
                    name + " does not match the shape of " + refName,
                    "shape " + a.getShape(),
                    "expected "
                            + ref
                            + " like "
                            + refName
                            + ". Did you forget to sum token log-probs or to align the batch?");
        }
    }

    /**
     * Same floating dtype as the reference array (no silent promotion between float32 and float64).
     */
    static void sameDtype(String component, String name, NDArray a, String refName, NDArray ref) {
        sameDtype(component, name, a, refName, ref.getDataType());
    }

    private static void sameDtype(
            String component, String name, NDArray a, String refName, DataType ref) {
        if (a.getDataType() != ref) {
            throw bad(
                    component,
                    name + " has a different dtype from " + refName,
                    a.getDataType(),
                    "expected " + ref + " like " + refName + ". Cast with toType before the loss");
        }
    }

    /**
     * An optional floating array of shape {@code ref} and dtype {@code dtype}; returns it (or
     * null).
     */
    static NDArray optional(
            String component, String name, NDArray a, String refName, Shape ref, DataType dtype) {
        if (a == null) {
            return null;
        }
        floating(component, name, a);
        sameShape(component, name, a, refName, ref);
        sameDtype(component, name, a, refName, dtype);
        return a;
    }

    /** A count array (any numeric dtype, including integers) of shape {@code ref}. */
    static NDArray counts(String component, String name, NDArray a, String refName, Shape ref) {
        if (a == null) {
            return null;
        }
        DataType t = a.getDataType();
        if (!t.isFloating() && !t.isInteger() && !t.isBoolean()) {
            throw bad(
                    component,
                    name + " has a non-numeric dtype",
                    t,
                    "expected an integer or floating dtype");
        }
        sameShape(component, name, a, refName, ref);
        return a;
    }

    static double finite(String component, String name, double v) {
        if (!Double.isFinite(v)) {
            throw bad(component, name + " is not finite", v, "expected a finite number");
        }
        return v;
    }

    static double positive(String component, String name, double v) {
        finite(component, name, v);
        if (!(v > 0)) {
            throw bad(component, name + " must be > 0", v, "expected " + name + " > 0");
        }
        return v;
    }

    static double nonNegative(String component, String name, double v) {
        finite(component, name, v);
        if (!(v >= 0)) {
            throw bad(component, name + " must be >= 0", v, "expected " + name + " >= 0");
        }
        return v;
    }

    /** {@code lo <= v <= hi} (or {@code < hi} when {@code hiOpen}). */
    static double inRange(
            String component, String name, double v, double lo, double hi, boolean hiOpen) {
        finite(component, name, v);
        boolean ok = v >= lo && (hiOpen ? v < hi : v <= hi);
        if (!ok) {
            throw bad(
                    component,
                    name + " is out of range",
                    v,
                    "expected " + lo + " <= " + name + (hiOpen ? " < " : " <= ") + hi);
        }
        return v;
    }
}
