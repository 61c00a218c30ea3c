package dev.reward4j.trainers.metrics;

import dev.reward4j.core.util.Checks;

/** Argument checks shared by the metric calculators. */
final class MetricChecks {
    private MetricChecks() {}

    static void finite(double[] values, String name) {
        Checks.argument(values != null, () -> name + ": array is null; expected a double[]");
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            int at = i;
            Checks.argument(
                    Double.isFinite(v),
                    () ->
                            name
                                    + ": value at index "
                                    + at
                                    + " is not finite ("
                                    + v
                                    + "); metrics need finite scores."
                                    + " Check the model for NaN/Inf outputs.");
        }
    }

    /**
     * Both arrays finite and of one length, the check every two-array metric starts with; messages
     * name {@code what: aName}, {@code what: bName} and {@code what: aName/bName}.
     */
    static void finitePair(double[] a, double[] b, String what, String aName, String bName) {
        finite(a, what + ": " + aName);
        finite(b, what + ": " + bName);
        sameLength(a, b, what + ": " + aName + "/" + bName);
    }

    static void sameLength(double[] a, double[] b, String what) {
        Checks.argument(
                a.length == b.length,
                () ->
                        what
                                + ": lengths differ ("
                                + a.length
                                + " vs "
                                + b.length
                                + "); expected one value per example");
    }
}
