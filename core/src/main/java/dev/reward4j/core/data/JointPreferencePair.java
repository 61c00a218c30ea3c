package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A joint preference \( (x_w, y_w) \succ (x_l, y_l) \): the instruction-response pair {@code
 * (promptChosen, chosen)} is preferred over {@code (promptRejected, rejected)}; the prompts may
 * differ (JPO / DOVE, arXiv 2404.00530). With equal prompts it is an ordinary {@link
 * PreferencePair}.
 *
 * @param id example id (from the file, or {@code file:line})
 * @param promptChosen \( x_w \)
 * @param chosen \( y_w \)
 * @param promptRejected \( x_l \)
 * @param rejected \( y_l \)
 * @param weight example weight, finite and {@code >= 0}
 * @param source where the example came from
 */
public record JointPreferencePair(
        String id,
        Text promptChosen,
        Text chosen,
        Text promptRejected,
        Text rejected,
        double weight,
        Source source) {
    /** Validates the fields. */
    public JointPreferencePair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(promptChosen, "promptChosen");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(promptRejected, "promptRejected");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(source, "source");
        if (!(Double.isFinite(weight) && weight >= 0)) {
            throw new IllegalArgumentException(
                    "JointPreferencePair: weight ("
                            + weight
                            + ") at "
                            + source
                            + "; expected a finite value >= 0");
        }
    }

    /**
     * The same preference as a conditional pair, when both prompts are equal.
     *
     * @param pair a preference pair
     * @return the joint form with {@code promptChosen == promptRejected == pair.prompt()}
     */
    public static JointPreferencePair of(PreferencePair pair) {
        return new JointPreferencePair(
                pair.id(),
                pair.prompt(),
                pair.chosen(),
                pair.prompt(),
                pair.rejected(),
                pair.weight(),
                pair.source());
    }
}
