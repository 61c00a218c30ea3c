package dev.reward4j.trainers.config;

import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.DecayRule;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.ParamGroup;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code optim:} AdamW and clipping.
 *
 * @param lr peak learning rate
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param eps added to the bias-corrected sqrt(v) (torch placement)
 * @param weightDecay decoupled weight decay
 * @param decay {@code matrices} (dim &ge; 2; no decay on norms and biases) or {@code all}
 * @param maxGradNorm global-norm clipping threshold; 0 disables clipping (the norm is still logged)
 * @param groups parameter groups with their own learning-rate multiplier, weight decay and betas,
 *     matched by name pattern (torch's {@code param_groups}; keys {@code pattern}, {@code
 *     lr_scale}, {@code weight_decay}, {@code beta1}, {@code beta2}, see {@link ParamGroup}); empty
 *     = one group
 */
public record OptimSection(
        double lr,
        double beta1,
        double beta2,
        double eps,
        double weightDecay,
        String decay,
        double maxGradNorm,
        List<ParamGroup> groups) {
    static final Set<String> DECAY = new TreeSet<>(Set.of("matrices", "all"));

    /** Validates the values. */
    public OptimSection {
        Require.nonNegative(lr, "lr");
        Require.unitOpen(beta1, "beta1");
        Require.unitOpen(beta2, "beta2");
        Require.positive(eps, "eps");
        Require.nonNegative(weightDecay, "weight_decay");
        Require.oneOf(decay, DECAY, "decay");
        Require.nonNegative(maxGradNorm, "max_grad_norm");
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A section with one parameter group. */
    public OptimSection(
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            String decay,
            double maxGradNorm) {
        this(lr, beta1, beta2, eps, weightDecay, decay, maxGradNorm, List.of());
    }

    /**
     * lr 1e-5 (conservative: reward-model defaults elsewhere range from 1e-4 in TRL to 9e-6 in
     * OpenRLHF and NeMo-Aligner), torch betas/eps, weight decay 0, clip at 1.0.
     */
    public static OptimSection defaults() {
        return new OptimSection(1e-5, 0.9, 0.999, 1e-8, 0.0, "matrices", 1.0, List.of());
    }

    /** The optimizer configuration. */
    public AdamWConfig toAdamW() {
        return new AdamWConfig(
                beta1,
                beta2,
                eps,
                weightDecay,
                decay.equals("all") ? DecayRule.all() : DecayRule.matricesOnly(),
                groups);
    }

    /** The clipping step. */
    public GlobalNormClip toClip() {
        return maxGradNorm == 0 ? GlobalNormClip.none() : new GlobalNormClip(maxGradNorm);
    }
}
