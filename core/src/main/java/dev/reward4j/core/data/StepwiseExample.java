package dev.reward4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A step-annotated solution for process reward models: a prompt, the solution's steps and one label
 * per step.
 *
 * @param id example id
 * @param prompt the problem (plain text or conversation)
 * @param steps the solution steps in order, at least one, each non-empty
 * @param labels one label per step in {@code [0, 1]}: 1 = the solution is still correct after this
 *     step (Math-Shepherd's hard label), a fraction = a soft Monte-Carlo estimate; copied
 * @param source where the example came from
 */
public record StepwiseExample(
        String id, Text prompt, List<String> steps, double[] labels, Source source) {
    /** Validates and copies the fields. */
    public StepwiseExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(source, "source");
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        labels = Objects.requireNonNull(labels, "labels").clone();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(
                    "StepwiseExample: no steps at " + source + "; expected at least one step");
        }
        if (labels.length != steps.size()) {
            throw new IllegalArgumentException(
                    "StepwiseExample: "
                            + labels.length
                            + " labels for "
                            + steps.size()
                            + " steps at "
                            + source
                            + "; expected one label per step");
        }
        for (int i = 0; i < labels.length; i++) {
            if (!(labels[i] >= 0 && labels[i] <= 1)) {
                throw new IllegalArgumentException(
                        "StepwiseExample: label "
                                + i
                                + " ("
                                + labels[i]
                                + ") at "
                                + source
                                + "; expected a value in [0, 1]");
            }
            if (steps.get(i).isEmpty()) {
                throw new IllegalArgumentException(
                        "StepwiseExample: step "
                                + i
                                + " is empty at "
                                + source
                                + "; expected text");
            }
        }
    }

    /** The labels (a copy). */
    @Override
    public double[] labels() {
        return labels.clone();
    }

    /** Index of the first step labelled below 0.5, or -1 when every step is labelled correct. */
    public int firstBadStep() {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0.5) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepwiseExample e
                && id.equals(e.id)
                && prompt.equals(e.prompt)
                && steps.equals(e.steps)
                && Arrays.equals(labels, e.labels)
                && source.equals(e.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, prompt, steps, Arrays.hashCode(labels), source);
    }

    @Override
    public String toString() {
        return "StepwiseExample[id="
                + id
                + ", steps="
                + steps
                + ", labels="
                + Arrays.toString(labels)
                + "]";
    }
}
