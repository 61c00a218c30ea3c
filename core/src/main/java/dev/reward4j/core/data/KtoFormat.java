package dev.reward4j.core.data;

import java.util.function.Consumer;

/**
 * TRL unpaired preference rows (KTO / BCO): {@code prompt}, {@code completion}, boolean {@code
 * label}; standard or conversational.
 *
 * <pre>{"prompt": "Capital of France?", "completion": " Paris.", "label": true}</pre>
 */
public record KtoFormat() implements Format<UnpairedFeedback> {
    @Override
    public void read(Row row, Consumer<? super UnpairedFeedback> out) {
        out.accept(
                new UnpairedFeedback(
                        row.id("id"),
                        row.text("prompt"),
                        row.text("completion"),
                        row.bool("label"),
                        row.source()));
    }
}
