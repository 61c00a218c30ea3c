package dev.reward4j.trainers.eval;

import dev.reward4j.core.data.Message;
import java.util.List;

/**
 * One completion to score on its own as {@code prompt + [assistant: completion]} (RewardBench
 * scores every completion in a separate sequence).
 *
 * @param rowId id of the benchmark row
 * @param completionIndex index into {@link BenchRow#completions()} (chosen first)
 * @param prompt the conversation before the completion
 * @param completion the assistant completion text
 */
public record ScoringRequest(
        String rowId, int completionIndex, List<Message> prompt, String completion) {
    /** Copies the prompt. */
    public ScoringRequest {
        prompt = List.copyOf(prompt);
    }

    /** The prompt as core {@link dev.reward4j.core.data.Message}s (for the chat template). */
    public List<dev.reward4j.core.data.Message> promptMessages() {
        return prompt;
    }

    /** The full conversation: prompt turns then the assistant completion. */
    public List<Message> conversation() {
        return java.util.stream.Stream.concat(
                        prompt.stream(),
                        java.util.stream.Stream.of(new Message("assistant", completion)))
                .toList();
    }
}
