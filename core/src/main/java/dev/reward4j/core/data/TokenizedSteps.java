package dev.reward4j.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tokenized {@link StepwiseExample}: prompt tokens, then each step's tokens followed by the step
 * separator; the step's label sits on the last separator token of the step.
 *
 * @param id example id
 * @param sequence prompt + steps with separators (the steps are the response)
 * @param stepEnds position of each step's last separator token in {@code sequence}, increasing
 * @param labels one label per kept step in {@code [0, 1]}
 * @param source where the example came from
 */
public record TokenizedSteps(
        String id, TokenizedSequence sequence, int[] stepEnds, double[] labels, Source source) {
    /** Validates the fields. */
    public TokenizedSteps {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(source, "source");
        stepEnds = stepEnds.clone();
        labels = labels.clone();
        if (stepEnds.length == 0 || stepEnds.length != labels.length) {
            throw new IllegalArgumentException(
                    "TokenizedSteps: "
                            + stepEnds.length
                            + " step ends and "
                            + labels.length
                            + " labels at "
                            + source
                            + "; expected the same positive number");
        }
        for (int i = 0; i < stepEnds.length; i++) {
            if (stepEnds[i] < sequence.promptLength()
                    || stepEnds[i] >= sequence.length()
                    || (i > 0 && stepEnds[i] <= stepEnds[i - 1])) {
                throw new IllegalArgumentException(
                        "TokenizedSteps: step end "
                                + i
                                + " ("
                                + stepEnds[i]
                                + ") at "
                                + source
                                + "; expected increasing positions inside the response");
            }
        }
    }

    /** Step-end positions (a copy). */
    @Override
    public int[] stepEnds() {
        return stepEnds.clone();
    }

    /** Labels (a copy). */
    @Override
    public double[] labels() {
        return labels.clone();
    }

    /** Number of steps. */
    public int steps() {
        return stepEnds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedSteps t
                && id.equals(t.id)
                && sequence.equals(t.sequence)
                && Arrays.equals(stepEnds, t.stepEnds)
                && Arrays.equals(labels, t.labels)
                && source.equals(t.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, sequence, Arrays.hashCode(stepEnds), Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        return "TokenizedSteps[id="
                + id
                + ", "
                + sequence
                + ", stepEnds="
                + Arrays.toString(stepEnds)
                + ", labels="
                + Arrays.toString(labels)
                + "]";
    }
}
