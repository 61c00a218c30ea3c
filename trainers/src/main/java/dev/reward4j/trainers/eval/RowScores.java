package dev.reward4j.trainers.eval;

import dev.reward4j.core.util.Checks;
import java.util.OptionalInt;

/**
 * The scores of one benchmark row.
 *
 * @param id row id
 * @param subset subset name
 * @param chosen scores of the chosen completions (in file order)
 * @param rejected scores of the rejected completions (in file order)
 * @param numCorrect the row's {@code num_correct} when given (v2 Ties)
 */
public record RowScores(
        String id, String subset, double[] chosen, double[] rejected, OptionalInt numCorrect) {
    /** Validates and copies the arrays. */
    public RowScores {
        Checks.argument(
                chosen.length > 0 && rejected.length > 0,
                () -> "row scores '" + id + "': chosen and rejected must be non-empty");
        chosen = chosen.clone();
        rejected = rejected.clone();
    }

    /** {@code chosen ++ rejected} (a new array). */
    public double[] all() {
        double[] a = new double[chosen.length + rejected.length];
        System.arraycopy(chosen, 0, a, 0, chosen.length);
        System.arraycopy(rejected, 0, a, chosen.length, rejected.length);
        return a;
    }

    /** A v1 pair's scores. */
    public static RowScores pair(String id, String subset, double chosen, double rejected) {
        return new RowScores(
                id, subset, new double[] {chosen}, new double[] {rejected}, OptionalInt.empty());
    }
}
