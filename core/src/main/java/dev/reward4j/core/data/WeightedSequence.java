package dev.reward4j.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A token sequence trained by (weighted) negative log-likelihood on the tokens marked in {@code
 * target}: the response of a supervised example, or the model outputs of a Chain-of-Hindsight
 * sequence, whose prompt and feedback phrases are context only.
 *
 * @param id example id
 * @param ids token ids (not copied on access: treat as read-only)
 * @param target per token: true when the token's log-probability is part of the loss; {@code
 *     target[0]} is always false (the first token has no prediction)
 * @param weight example weight, finite and {@code >= 0}
 * @param source where the example came from
 */
public record WeightedSequence(
        String id, int[] ids, boolean[] target, double weight, Source source) {
    /** Validates the fields. */
    public WeightedSequence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        if (ids.length != target.length) {
            throw new IllegalArgumentException(
                    "WeightedSequence: "
                            + ids.length
                            + " ids but "
                            + target.length
                            + " target flags at "
                            + source
                            + "; expected one flag per token");
        }
        if (target.length > 0 && target[0]) {
            throw new IllegalArgumentException(
                    "WeightedSequence: the first token is marked as a target at "
                            + source
                            + "; expected false (it has no preceding context to be predicted"
                            + " from)");
        }
        if (!(Double.isFinite(weight) && weight >= 0)) {
            throw new IllegalArgumentException(
                    "WeightedSequence: weight ("
                            + weight
                            + ") at "
                            + source
                            + "; expected a finite value >= 0");
        }
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /** Number of target tokens (those in the loss). */
    public int targetTokens() {
        int n = 0;
        for (boolean b : target) {
            n += b ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightedSequence w
                && id.equals(w.id)
                && Arrays.equals(ids, w.ids)
                && Arrays.equals(target, w.target)
                && Double.compare(weight, w.weight) == 0
                && source.equals(w.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(ids), Arrays.hashCode(target), weight, source);
    }

    @Override
    public String toString() {
        return "WeightedSequence[id="
                + id
                + ", ids="
                + Arrays.toString(ids)
                + ", target="
                + Arrays.toString(target)
                + ", weight="
                + weight
                + ", source="
                + source
                + "]";
    }
}
