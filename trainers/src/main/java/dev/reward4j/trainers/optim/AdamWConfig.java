package dev.reward4j.trainers.optim;

import dev.reward4j.core.util.Checks;
import java.util.List;
import java.util.Objects;

/**
 * Hyper-parameters of {@link AdamW} (the learning rate comes from the {@link LrSchedule} at every
 * step).
 *
 * @param beta1 first-moment decay, in [0, 1)
 * @param beta2 second-moment decay, in [0, 1)
 * @param eps added to the bias-corrected \( \sqrt{\hat v} \) (torch placement), &gt; 0
 * @param weightDecay decoupled decay coefficient \( \lambda \) (\( p \leftarrow p (1 - \eta
 *     \lambda) \)), &ge; 0
 * @param decay which parameters of the default group are decayed
 * @param groups parameter groups with their own learning rate, decay and betas (torch's {@code
 *     param_groups}); a parameter belongs to the first group whose pattern matches it, the others
 *     to the default group these settings describe. Empty = one group
 */
public record AdamWConfig(
        double beta1,
        double beta2,
        double eps,
        double weightDecay,
        DecayRule decay,
        List<ParamGroup> groups) {

    /** Validates the ranges; copies the groups. */
    public AdamWConfig {
        Checks.argument(
                beta1 >= 0 && beta1 < 1,
                () -> "adamw: beta1 must be in [0, 1) (got " + beta1 + ")");
        Checks.argument(
                beta2 >= 0 && beta2 < 1,
                () -> "adamw: beta2 must be in [0, 1) (got " + beta2 + ")");
        Checks.positive(eps, "adamw: eps");
        Checks.nonNegative(weightDecay, "adamw: weightDecay");
        Objects.requireNonNull(decay, "adamw: decay rule");
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** One parameter group (the configuration before parameter groups existed). */
    public AdamWConfig(
            double beta1, double beta2, double eps, double weightDecay, DecayRule decay) {
        this(beta1, beta2, eps, weightDecay, decay, List.of());
    }

    /**
     * torch defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no decay on norms and
     * biases.
     */
    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9, 0.999, 1e-8, 0.01, DecayRule.matricesOnly());
    }

    /** Copy with other betas. */
    public AdamWConfig withBetas(double b1, double b2) {
        return new AdamWConfig(b1, b2, eps, weightDecay, decay, groups);
    }

    /** Copy with another eps. */
    public AdamWConfig withEps(double e) {
        return new AdamWConfig(beta1, beta2, e, weightDecay, decay, groups);
    }

    /** Copy with another weight decay. */
    public AdamWConfig withWeightDecay(double wd) {
        return new AdamWConfig(beta1, beta2, eps, wd, decay, groups);
    }

    /** Copy with another decay rule. */
    public AdamWConfig withDecay(DecayRule rule) {
        return new AdamWConfig(beta1, beta2, eps, weightDecay, rule, groups);
    }

    /** Copy with parameter groups (see {@link ParamGroup}). */
    public AdamWConfig withGroups(List<ParamGroup> parameterGroups) {
        return new AdamWConfig(beta1, beta2, eps, weightDecay, decay, parameterGroups);
    }
}
