package dev.reward4j.core.heads;

import dev.reward4j.core.util.Checks;
import java.util.Arrays;

/**
 * How the K member rewards of a reward-model ensemble become one reward. {@link MeanMinusStd} is
 * the uncertainty-penalised (conservative) aggregate: it is never above the mean.
 */
public sealed interface EnsembleAggregation
        permits EnsembleAggregation.Mean,
                EnsembleAggregation.Median,
                EnsembleAggregation.Min,
                EnsembleAggregation.MeanMinusStd {

    /**
     * The aggregate of one response's member rewards.
     *
     * @param rewards the K member rewards, {@code K >= 1}
     * @return the aggregate
     */
    double apply(double[] rewards);

    /**
     * Short stable name for configs and reports.
     *
     * @return e.g. {@code "mean-std(1.0)"}
     */
    String name();

    /** Mean of the members. */
    record Mean() implements EnsembleAggregation {
        @Override
        public double apply(double[] rewards) {
            return EnsembleScores.mean(rewards);
        }

        @Override
        public String name() {
            return "mean";
        }
    }

    /** Median of the members (mean of the two middle values for even K). */
    record Median() implements EnsembleAggregation {
        @Override
        public double apply(double[] rewards) {
            double[] s = rewards.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        @Override
        public String name() {
            return "median";
        }
    }

    /** Minimum of the members (worst case). */
    record Min() implements EnsembleAggregation {
        @Override
        public double apply(double[] rewards) {
            return Arrays.stream(rewards).min().orElseThrow();
        }

        @Override
        public String name() {
            return "min";
        }
    }

    /**
     * Uncertainty-penalised mean \( \bar r - \lambda\,\mathrm{std}(r) \) (population standard
     * deviation over members).
     *
     * @param lambda penalty \( \lambda \ge 0 \)
     */
    record MeanMinusStd(double lambda) implements EnsembleAggregation {
        /** Validates lambda. */
        public MeanMinusStd {
            Checks.argument(
                    lambda >= 0 && Double.isFinite(lambda),
                    () ->
                            "EnsembleAggregation.MeanMinusStd: lambda ("
                                    + lambda
                                    + "); expected >= 0");
        }

        @Override
        public double apply(double[] rewards) {
            return EnsembleScores.mean(rewards) - lambda * EnsembleScores.std(rewards);
        }

        @Override
        public String name() {
            return "mean-std(" + lambda + ")";
        }
    }

    /**
     * Parses {@code mean}, {@code median}, {@code min} or {@code mean-std(<lambda>)}.
     *
     * @param text the name
     * @return the aggregation
     */
    static EnsembleAggregation parse(String text) {
        String t = text.strip();
        if (t.equals("mean")) {
            return new Mean();
        }
        if (t.equals("median")) {
            return new Median();
        }
        if (t.equals("min")) {
            return new Min();
        }
        if (t.startsWith("mean-std(") && t.endsWith(")")) {
            try {
                return new MeanMinusStd(
                        Double.parseDouble(t.substring("mean-std(".length(), t.length() - 1)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                "ensemble aggregation: unknown '"
                        + text
                        + "'; expected mean, median, min or mean-std(<lambda>)");
    }
}
