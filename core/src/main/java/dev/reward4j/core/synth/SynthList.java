package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import java.util.List;

/**
 * A ranked list of responses to one prompt with its ground truth.
 *
 * @param id stable id
 * @param task task name
 * @param prompt prompt text
 * @param responses responses in generation order
 * @param scores label scores, higher = better ({@code K - 1 - rank} under the sampled ranking)
 * @param rewards ground-truth rewards
 * @param bestFirstProbability probability (under the label model) that the highest-reward response
 *     is ranked first; the Bayes top-1 accuracy on this list
 * @param source {@code <synth:list:SPLIT>} and the example index
 */
public record SynthList(
        String id,
        String task,
        String prompt,
        List<String> responses,
        double[] scores,
        double[] rewards,
        double bestFirstProbability,
        Source source) {
    /** Copies the arrays. */
    public SynthList {
        responses = List.copyOf(responses);
        scores = scores.clone();
        rewards = rewards.clone();
    }

    /** As a core-data ranked list (plain text, label scores). */
    public RankedList toRankedList() {
        List<Text> texts = responses.stream().<Text>map(PlainText::new).toList();
        return new RankedList(id, new PlainText(prompt), texts, scores, source);
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public double[] rewards() {
        return rewards.clone();
    }
}
