package dev.reward4j.trainers.optim;

import dev.reward4j.core.util.Checks;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A parameter group of {@link AdamW} with its own learning rate, weight decay and betas, as an
 * entry of torch's {@code param_groups}: it holds the parameters whose name matches {@code pattern}
 * (a Java regex, found anywhere in the HF tensor name, e.g. {@code "^score\\."} or {@code
 * "layers\\.[01]\\."}). A parameter belongs to the first group that matches it; parameters no group
 * matches form the default group of {@link AdamWConfig}. A group that matches no parameter is an
 * error (a mistyped pattern never passes silently).
 *
 * <p>The learning rate is relative: the group's rate at each step is the schedule's rate times
 * {@code lrScale}, which is what torch does when a {@code LambdaLR} scales each group's own initial
 * {@code lr} (so {@code lrScale} = group lr / base lr).
 *
 * @param pattern Java regex matched with {@code find()} against parameter names
 * @param lrScale multiplier of the schedule's learning rate, &ge; 0; null = 1
 * @param weightDecay decoupled decay of every parameter of the group, &ge; 0 (the {@link DecayRule}
 *     is not consulted for the group, as in torch); null = the default group's decay (its
 *     coefficient and its {@link DecayRule})
 * @param beta1 first-moment decay in [0, 1); null = the default group's
 * @param beta2 second-moment decay in [0, 1); null = the default group's
 */
public record ParamGroup(
        String pattern, Double lrScale, Double weightDecay, Double beta1, Double beta2) {
    /** Validates the values; a null {@code lrScale} becomes 1. */
    public ParamGroup {
        Checks.argument(
                pattern != null && !pattern.isEmpty(),
                () -> "param_group: pattern must be a non-empty regex (got '" + pattern + "')");
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "param_group: pattern '"
                            + pattern
                            + "' is not a valid regex ("
                            + e.getDescription()
                            + "); expected a Java regular expression",
                    e);
        }
        lrScale = lrScale == null ? 1.0 : lrScale;
        double scale = lrScale;
        Checks.argument(
                Double.isFinite(scale) && scale >= 0,
                () -> "param_group: lr_scale must be finite and >= 0 (got " + scale + ")");
        Checks.argument(
                weightDecay == null || (Double.isFinite(weightDecay) && weightDecay >= 0),
                () -> "param_group: weight_decay must be >= 0 (got " + weightDecay + ")");
        Checks.argument(
                beta1 == null || (beta1 >= 0 && beta1 < 1),
                () -> "param_group: beta1 must be in [0, 1) (got " + beta1 + ")");
        Checks.argument(
                beta2 == null || (beta2 >= 0 && beta2 < 1),
                () -> "param_group: beta2 must be in [0, 1) (got " + beta2 + ")");
    }

    /** The group of the parameters matching {@code pattern}, with the default group's settings. */
    public static ParamGroup matching(String pattern) {
        return new ParamGroup(pattern, null, null, null, null);
    }

    /** Copy with another learning-rate multiplier. */
    public ParamGroup withLrScale(double scale) {
        return new ParamGroup(pattern, scale, weightDecay, beta1, beta2);
    }

    /** Copy with its own weight decay (applied to every parameter of the group). */
    public ParamGroup withWeightDecay(double decay) {
        return new ParamGroup(pattern, lrScale, decay, beta1, beta2);
    }

    /** Copy with its own betas. */
    public ParamGroup withBetas(double b1, double b2) {
        return new ParamGroup(pattern, lrScale, weightDecay, b1, b2);
    }

    /** True when parameter {@code name} belongs to this group's pattern. */
    public boolean matches(String name) {
        return Pattern.compile(pattern).matcher(name).find();
    }
}
