package dev.reward4j.core.data;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A pairwise preference: {@code chosen} is preferred over {@code rejected} for {@code prompt}.
 *
 * @param id example id (from the file, or {@code file:line} when the file has none)
 * @param prompt the shared prompt (plain text or conversation; may be empty)
 * @param chosen the preferred response
 * @param rejected the dispreferred response
 * @param margin optional margin; also carries the HelpSteer2-Preference strength (1..3, always
 *     positive here)
 * @param weight example weight, default 1, finite and {@code >= 0}
 * @param source where the example came from
 * @param userId optional id of the annotator whose preference this is (pluralistic reward models
 *     group pairs by it); empty when the data has none
 * @param context optional context the preference holds under (a system message or a stated
 *     criterion); rendered into the prompt at tokenization by a {@code ContextTemplate}; empty when
 *     the data has none
 */
public record PreferencePair(
        String id,
        Text prompt,
        Text chosen,
        Text rejected,
        OptionalDouble margin,
        double weight,
        Source source,
        Optional<String> userId,
        Optional<Text> context) {
    /** Validates the fields. */
    public PreferencePair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(context, "context");
        if (!(Double.isFinite(weight) && weight >= 0)) {
            throw new IllegalArgumentException(
                    "PreferencePair: weight ("
                            + weight
                            + ") at "
                            + source
                            + "; expected a finite value >= 0");
        }
        if (margin.isPresent() && !Double.isFinite(margin.getAsDouble())) {
            throw new IllegalArgumentException(
                    "PreferencePair: margin ("
                            + margin.getAsDouble()
                            + ") at "
                            + source
                            + "; expected a finite value");
        }
        if (userId.isPresent() && userId.get().isEmpty()) {
            throw new IllegalArgumentException(
                    "PreferencePair: userId is empty at "
                            + source
                            + "; expected a non-empty id or none");
        }
    }

    /**
     * A pair without user id and context (the form every reader produced before those fields).
     *
     * @param id example id
     * @param prompt the prompt
     * @param chosen the preferred response
     * @param rejected the dispreferred response
     * @param margin optional margin
     * @param weight example weight
     * @param source where the example came from
     */
    public PreferencePair(
            String id,
            Text prompt,
            Text chosen,
            Text rejected,
            OptionalDouble margin,
            double weight,
            Source source) {
        this(
                id,
                prompt,
                chosen,
                rejected,
                margin,
                weight,
                source,
                Optional.empty(),
                Optional.empty());
    }

    /** A pair with no margin and weight 1. */
    public static PreferencePair of(
            String id, Text prompt, Text chosen, Text rejected, Source source) {
        return new PreferencePair(
                id, prompt, chosen, rejected, OptionalDouble.empty(), 1.0, source);
    }

    /**
     * A copy with the annotator's id.
     *
     * @param user the user id (non-empty)
     * @return the copy
     */
    public PreferencePair withUserId(String user) {
        return new PreferencePair(
                id, prompt, chosen, rejected, margin, weight, source, Optional.of(user), context);
    }

    /**
     * A copy with the context the preference holds under.
     *
     * @param text the context (system message or criterion)
     * @return the copy
     */
    public PreferencePair withContext(Text text) {
        return new PreferencePair(
                id, prompt, chosen, rejected, margin, weight, source, userId, Optional.of(text));
    }

    /**
     * A copy with another margin.
     *
     * @param value the margin (finite)
     * @return the copy
     */
    public PreferencePair withMargin(double value) {
        return new PreferencePair(
                id,
                prompt,
                chosen,
                rejected,
                OptionalDouble.of(value),
                weight,
                source,
                userId,
                context);
    }

    /**
     * A copy with another prompt and no context (what a {@code ContextTemplate} returns after
     * rendering the context into the prompt).
     *
     * @param rendered the prompt with the context rendered in
     * @return the copy
     */
    public PreferencePair withRenderedPrompt(Text rendered) {
        return new PreferencePair(
                id, rendered, chosen, rejected, margin, weight, source, userId, Optional.empty());
    }

    /**
     * The same pair with chosen and rejected exchanged (a label flip).
     *
     * @return the copy
     */
    public PreferencePair swapped() {
        return new PreferencePair(
                id, prompt, rejected, chosen, margin, weight, source, userId, context);
    }
}
