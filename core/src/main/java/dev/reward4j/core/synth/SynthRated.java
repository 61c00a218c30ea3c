package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.Source;

/**
 * A response rated on several attributes ({@link Judgement#ATTRIBUTES}) with its ground truth.
 *
 * @param id stable id
 * @param task task name
 * @param prompt prompt text
 * @param response response text
 * @param ratings noisy integer ratings in {@code [0, 4]} (0 where absent)
 * @param present which attributes are rated
 * @param truth the ground-truth judgement
 * @param source {@code <synth:rated:SPLIT>} and the example index
 */
public record SynthRated(
        String id,
        String task,
        String prompt,
        String response,
        double[] ratings,
        boolean[] present,
        Judgement truth,
        Source source) {
    /** Copies the arrays. */
    public SynthRated {
        ratings = ratings.clone();
        present = present.clone();
    }

    /** As a core-data rated response over {@link Judgement#ATTRIBUTES}. */
    public RatedResponse toRatedResponse() {
        return new RatedResponse(
                id,
                new PlainText(prompt),
                new PlainText(response),
                Judgement.ATTRIBUTES,
                ratings,
                present,
                source);
    }

    @Override
    public double[] ratings() {
        return ratings.clone();
    }

    @Override
    public boolean[] present() {
        return present.clone();
    }
}
