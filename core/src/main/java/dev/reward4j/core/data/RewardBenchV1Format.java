package dev.reward4j.core.data;

import java.util.function.Consumer;

/**
 * RewardBench v1 rows ({@code allenai/reward-bench}, split {@code filtered}): {@code prompt},
 * {@code chosen}, {@code rejected}, {@code subset}, {@code id}. RewardBench scores {@code [user:
 * prompt, assistant: completion]} through the chat template, so a string prompt becomes one user
 * message and each completion one assistant message; a prompt that is already a message list is
 * kept.
 *
 * <pre>
 * {"id": 30, "subset": "alpacaeval-easy", "prompt": "How do I ...?", "chosen": "...", "chosen_model": "gpt4",
 *  "rejected": "...", "rejected_model": "alpaca-7b"}</pre>
 */
public record RewardBenchV1Format() implements Format<EvalPair> {
    @Override
    public void read(Row row, Consumer<? super EvalPair> out) {
        out.accept(
                new EvalPair(
                        row.id("id"),
                        row.string("subset"),
                        RewardBenchV2Format.asUser(row.text("prompt")),
                        RewardBenchV2Format.asAssistant(row.text("chosen")),
                        RewardBenchV2Format.asAssistant(row.text("rejected")),
                        row.source()));
    }
}
