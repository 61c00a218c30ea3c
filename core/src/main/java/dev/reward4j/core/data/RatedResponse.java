package dev.reward4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One response rated on A named attributes (HelpSteer2 style); missing ratings are allowed and
 * flagged in {@code present}.
 *
 * @param id example id
 * @param prompt the prompt
 * @param response the rated response
 * @param attributeNames A attribute names (e.g. helpfulness, correctness, coherence, complexity,
 *     verbosity)
 * @param ratings A ratings (value undefined, 0, where {@code present[a]} is false)
 * @param present A flags: true where a rating was given
 * @param source where the example came from
 */
public record RatedResponse(
        String id,
        Text prompt,
        Text response,
        List<String> attributeNames,
        double[] ratings,
        boolean[] present,
        Source source) {
    /** Validates and copies the fields. */
    public RatedResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        attributeNames = List.copyOf(attributeNames);
        ratings = ratings.clone();
        present = present.clone();
        Objects.requireNonNull(source, "source");
        if (ratings.length != attributeNames.size() || present.length != attributeNames.size()) {
            throw new IllegalArgumentException(
                    "RatedResponse: "
                            + attributeNames.size()
                            + " attributes, "
                            + ratings.length
                            + " ratings, "
                            + present.length
                            + " presence flags at "
                            + source
                            + "; expected equal lengths");
        }
    }

    @Override
    public double[] ratings() {
        return ratings.clone();
    }

    @Override
    public boolean[] present() {
        return present.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatedResponse r
                && id.equals(r.id)
                && prompt.equals(r.prompt)
                && response.equals(r.response)
                && attributeNames.equals(r.attributeNames)
                && Arrays.equals(ratings, r.ratings)
                && Arrays.equals(present, r.present)
                && source.equals(r.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                prompt,
                response,
                attributeNames,
                Arrays.hashCode(ratings),
                Arrays.hashCode(present),
                source);
    }

    @Override
    public String toString() {
        return "RatedResponse[id="
                + id
                + ", attributes="
                + attributeNames
                + ", ratings="
                + Arrays.toString(ratings)
                + ", present="
                + Arrays.toString(present)
                + ", source="
                + source
                + "]";
    }
}
