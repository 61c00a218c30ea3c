package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.StepwiseExample;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A step-by-step arithmetic solution with its step labels and ground truth.
 *
 * @param id stable id ({@code synth-<split>-chain-<index>})
 * @param prompt the problem ({@code "add 3 4 2 ."})
 * @param steps the solution steps ({@code "3 + 4 = 7"}, ...)
 * @param labels 1 for steps before the first wrong step, 0 from it on (Math-Shepherd's hard labels:
 *     the solution can no longer reach the right answer)
 * @param wrongStep index of the injected wrong step, or -1 for a correct solution
 * @param source {@code <synth:chain:SPLIT>} and the example index
 */
public record SynthStepChain(
        String id,
        String prompt,
        List<String> steps,
        double[] labels,
        int wrongStep,
        Source source) {
    /** Copies the fields. */
    public SynthStepChain {
        Objects.requireNonNull(id, "id");
        steps = List.copyOf(steps);
        labels = labels.clone();
    }

    /** The labels (a copy). */
    @Override
    public double[] labels() {
        return labels.clone();
    }

    /** As a core-data step-annotated example. */
    public StepwiseExample toStepwiseExample() {
        return new StepwiseExample(id, new PlainText(prompt), steps, labels, source);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SynthStepChain c
                && id.equals(c.id)
                && prompt.equals(c.prompt)
                && steps.equals(c.steps)
                && Arrays.equals(labels, c.labels)
                && wrongStep == c.wrongStep
                && source.equals(c.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, prompt, steps, Arrays.hashCode(labels), wrongStep, source);
    }

    @Override
    public String toString() {
        return "SynthStepChain["
                + prompt
                + " "
                + steps
                + " labels="
                + Arrays.toString(labels)
                + " wrongStep="
                + wrongStep
                + "]";
    }
}
