package dev.reward4j.core.synth;

import java.util.List;

/**
 * One prompt with candidate responses, as sampled by a {@link SynthTask}.
 *
 * @param task the task name
 * @param prompt the prompt text
 * @param responses candidate responses (distinct quality levels where the task has enough levels)
 */
public record Scenario(String task, String prompt, List<String> responses) {
    /** Copies the list. */
    public Scenario {
        responses = List.copyOf(responses);
    }
}
