package dev.reward4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * K responses to one prompt with a score each (higher = better); ranks are expressed as scores
 * (e.g. {@code -rank}).
 *
 * @param id example id
 * @param prompt the shared prompt
 * @param responses K >= 2 responses
 * @param scores K finite scores, aligned with {@code responses}
 * @param source where the example came from
 */
public record RankedList(
        String id, Text prompt, List<Text> responses, double[] scores, Source source) {
    /** Validates and copies the fields. */
    public RankedList {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        responses = List.copyOf(responses);
        scores = scores.clone();
        Objects.requireNonNull(source, "source");
        if (responses.size() != scores.length) {
            throw new IllegalArgumentException(
                    "RankedList: "
                            + responses.size()
                            + " responses but "
                            + scores.length
                            + " scores at "
                            + source
                            + "; expected one score per response");
        }
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException(
                        "RankedList: non-finite score ("
                                + s
                                + ") at "
                                + source
                                + "; expected finite scores");
            }
        }
    }

    /** Number of responses K. */
    public int size() {
        return responses.size();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankedList r
                && id.equals(r.id)
                && prompt.equals(r.prompt)
                && responses.equals(r.responses)
                && Arrays.equals(scores, r.scores)
                && source.equals(r.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, prompt, responses, Arrays.hashCode(scores), source);
    }

    @Override
    public String toString() {
        return "RankedList[id="
                + id
                + ", k="
                + responses.size()
                + ", scores="
                + Arrays.toString(scores)
                + ", source="
                + source
                + "]";
    }
}
