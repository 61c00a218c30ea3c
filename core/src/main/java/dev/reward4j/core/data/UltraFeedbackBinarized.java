package dev.reward4j.core.data;

import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * {@code HuggingFaceH4/ultrafeedback_binarized} rows: {@code chosen} and {@code rejected} are full
 * conversations (user turn + assistant turn); the common message prefix is the prompt, {@code
 * prompt_id} the id.
 *
 * <pre>
 * {"prompt": "Name a prime.", "prompt_id": "ab12", "chosen": [{"role": "user", "content": "Name a prime."},
 *  {"role": "assistant", "content": "7"}], "rejected": [...], "score_chosen": 9.0, "score_rejected": 4.0}
 * </pre>
 *
 * @param scoreMargin when true the margin is {@code score_chosen - score_rejected}
 */
public record UltraFeedbackBinarized(boolean scoreMargin) implements Format<PreferencePair> {
    private static final TrlFormat IMPLICIT =
            new TrlFormat(FieldMapping.defaults().withPrompt("__no_prompt__").withId("prompt_id"));

    @Override
    public void read(Row row, Consumer<? super PreferencePair> out) {
        IMPLICIT.read(
                row,
                p -> {
                    if (!(p.prompt() instanceof Conversation c) || c.messages().isEmpty()) {
                        throw row.error(
                                "chosen",
                                "shares no leading message with 'rejected'",
                                "conversations with the same user turn");
                    }
                    OptionalDouble margin =
                            scoreMargin
                                    ? OptionalDouble.of(
                                            row.number("score_chosen")
                                                    - row.number("score_rejected"))
                                    : OptionalDouble.empty();
                    out.accept(
                            new PreferencePair(
                                    p.id(),
                                    p.prompt(),
                                    p.chosen(),
                                    p.rejected(),
                                    margin,
                                    1.0,
                                    p.source()));
                });
    }
}
