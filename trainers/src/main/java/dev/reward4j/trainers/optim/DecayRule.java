package dev.reward4j.trainers.optim;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which parameters receive decoupled weight decay (the "parameter groups" of a torch optimizer,
 * chosen by name and shape).
 */
public sealed interface DecayRule
        permits DecayRule.MatricesOnly, DecayRule.All, DecayRule.ExcludeNames {

    /** True when parameter {@code name} with {@code shape} is decayed. */
    boolean decays(String name, Shape shape);

    /**
     * The default: decay parameters with at least 2 dimensions; norms and biases (dim &lt; 2) are
     * not decayed.
     */
    static DecayRule matricesOnly() {
        return new MatricesOnly();
    }

    /** Decay every parameter, like {@code torch.optim.AdamW(model.parameters())}. */
    static DecayRule all() {
        return new All();
    }

    /**
     * Decay parameters with dim &ge; 2 except those whose name matches one of {@code patterns}
     * (Java regex, find).
     */
    record ExcludeNames(List<String> patterns) implements DecayRule {
        /** Validates and copies the patterns. */
        public ExcludeNames {
            patterns = List.copyOf(patterns);
            for (String p : patterns) {
                Pattern.compile(p);
            }
        }

        @Override
        public boolean decays(String name, Shape shape) {
            if (shape.dimension() < 2) {
                return false;
            }
            for (String p : patterns) {
                if (Pattern.compile(p).matcher(name).find()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Decay parameters with dim &ge; 2 only (nanoGPT / HF trainer convention). */
    record MatricesOnly() implements DecayRule {
        @Override
        public boolean decays(String name, Shape shape) {
            return shape.dimension() >= 2;
        }
    }

    /** Decay everything. */
    record All() implements DecayRule {
        @Override
        public boolean decays(String name, Shape shape) {
            return true;
        }
    }
}
