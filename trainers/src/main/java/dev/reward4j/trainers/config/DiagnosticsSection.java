package dev.reward4j.trainers.config;

import dev.reward4j.trainers.diagnostics.ChesFilter;
import dev.reward4j.trainers.diagnostics.PairDiagnostics;
import dev.reward4j.trainers.diagnostics.PreferenceProbability;

/**
 * {@code diagnostics:} the likelihood-displacement, over-optimisation and ranking diagnostics of
 * the pairwise policy objectives (see {@code dev.reward4j.trainers.diagnostics}). With {@code
 * enabled} every logged training and evaluation record holds CHES, top-k entropy and mass, the
 * idealized ranking accuracy and alignment gap (objectives with a reference) and the
 * likelihood-displacement trajectory ({@code diagnostics/logps_chosen_change}, {@code
 * diagnostics/logps_margin_change}, {@code diagnostics/likelihood_displacement}); they come from
 * the forward the step already runs and are read with its other metrics. {@code ches_filter} drops
 * that fraction of the training pairs with the highest CHES score under the starting model before
 * training (the CHES paper's data filter; works with {@code enabled} false too).
 *
 * @param enabled log the diagnostics with every training and evaluation record
 * @param topK k of the top-k entropy and mass, {@code >= 1}
 * @param preferenceProbability the pairs' preference probability for the idealized ranking: a
 *     number in (0, 1) (the same for every pair) or {@code margin} (each pair's margin column)
 * @param beta the idealized policy's KL coefficient; null = {@code objective.beta} (0.1 for an
 *     objective without one)
 * @param chesFilter fraction of the training pairs to drop by CHES before training, in [0, 1)
 */
public record DiagnosticsSection(
        boolean enabled, int topK, String preferenceProbability, Double beta, double chesFilter) {
    /** Validates the values. */
    public DiagnosticsSection {
        Require.atLeast(topK, 1, "top_k");
        probability(preferenceProbability);
        if (beta != null) {
            Require.positive(beta, "beta");
        }
        Require.unitOpen(chesFilter, "ches_filter");
    }

    /** Off; k = 10, preference probability 0.75, beta from the objective, no CHES filter. */
    public static DiagnosticsSection defaults() {
        return new DiagnosticsSection(false, PairDiagnostics.DEFAULT_TOP_K, "0.75", null, 0);
    }

    private static PreferenceProbability probability(String value) {
        if ("margin".equals(value)) {
            return new PreferenceProbability.FromMargin();
        }
        double p;
        try {
            p = Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "preference_probability: expected a number in (0, 1) or 'margin' (got '"
                            + value
                            + "')");
        }
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException(
                    "preference_probability: expected a number in (0, 1) or 'margin' (got "
                            + value
                            + ")");
        }
        return new PreferenceProbability.Constant(p);
    }

    /**
     * The step's diagnostics.
     *
     * @param objectiveBeta the objective's beta, or NaN when it has none
     */
    public PairDiagnostics pairDiagnostics(double objectiveBeta) {
        double b = beta != null ? beta : Double.isNaN(objectiveBeta) ? 0.1 : objectiveBeta;
        return new PairDiagnostics(topK, probability(preferenceProbability), b);
    }

    /** The CHES filter, or null when {@code ches_filter} is 0. */
    public ChesFilter filter() {
        return chesFilter > 0 ? new ChesFilter(chesFilter) : null;
    }
}
