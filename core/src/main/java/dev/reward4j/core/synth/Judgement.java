package dev.reward4j.core.synth;

import dev.reward4j.core.util.Checks;
import java.util.Arrays;
import java.util.List;

/**
 * The ground-truth quality of one response: a value in {@code [0, 4]} per attribute of {@link
 * #ATTRIBUTES}, with a presence flag (a task judges only the attributes it can check).
 *
 * <p>The ground-truth reward is the mean of the present attribute values, so it lies in {@code [0,
 * 4]}.
 *
 * @param values one value per attribute in {@link #ATTRIBUTES} order (0 where absent)
 * @param present whether each attribute applies to the task
 */
public record Judgement(double[] values, boolean[] present) {
    /**
     * Attribute names, in order: {@code correctness}, {@code instruction_following}, {@code
     * coherence}.
     */
    public static final List<String> ATTRIBUTES =
            List.of("correctness", "instruction_following", "coherence");

    /** Highest attribute value. */
    public static final double MAX = 4.0;

    /** Validates lengths, ranges and that at least one attribute is present; copies the arrays. */
    public Judgement {
        int nv = values.length;
        int np = present.length;
        Checks.argument(
                nv == ATTRIBUTES.size() && np == ATTRIBUTES.size(),
                () ->
                        "Judgement: values/present have lengths ("
                                + nv
                                + ", "
                                + np
                                + "); expected "
                                + ATTRIBUTES.size()
                                + " each");
        values = values.clone();
        present = present.clone();
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            Checks.argument(
                    v >= 0 && v <= MAX,
                    () -> "Judgement: attribute value (" + v + "); expected in [0, 4]");
            any |= present[i];
        }
        Checks.argument(any, "Judgement: no attribute present; expected at least one");
    }

    /** A judgement of a single attribute {@code index} with value {@code value}. */
    static Judgement single(int index, double value) {
        double[] v = new double[ATTRIBUTES.size()];
        boolean[] p = new boolean[ATTRIBUTES.size()];
        v[index] = value;
        p[index] = true;
        return new Judgement(v, p);
    }

    /** The ground-truth reward: the mean of the present attribute values. */
    public double reward() {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (present[i]) {
                sum += values[i];
                n++;
            }
        }
        return sum / n;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean[] present() {
        return present.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Judgement j
                && Arrays.equals(values, j.values)
                && Arrays.equals(present, j.present);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Arrays.hashCode(present);
    }

    @Override
    public String toString() {
        return "Judgement" + Arrays.toString(values) + Arrays.toString(present);
    }
}
