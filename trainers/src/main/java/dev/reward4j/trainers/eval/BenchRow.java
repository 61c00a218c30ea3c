package dev.reward4j.trainers.eval;

import dev.reward4j.core.data.Message;
import dev.reward4j.core.util.Checks;
import java.util.List;
import java.util.OptionalInt;

/**
 * One row of a RewardBench-style JSONL file (schema: {@link BenchmarkReader}): a string {@code
 * chosen}/{@code rejected} is a v1 pair, lists are a v2 best-of-N row.
 *
 * @param id row id ({@code "ref:N"} / {@code "tied:N"} in the v2 Ties subset)
 * @param subset subset name
 * @param prompt the conversation before the scored completion (a string prompt is one user turn)
 * @param chosen correct completion(s): one for a v1 pair, one or more for v2
 * @param rejected incorrect completion(s)
 * @param numCorrect v2 Ties: the first {@code numCorrect} of {@code chosen ++ rejected} are
 *     correct; empty when absent
 * @param pairwise true when the row gave {@code chosen} and {@code rejected} as strings (v1 pair
 *     form)
 * @param line 1-based line in the source file (0 when built in code)
 */
public record BenchRow(
        String id,
        String subset,
        List<Message> prompt,
        List<String> chosen,
        List<String> rejected,
        OptionalInt numCorrect,
        boolean pairwise,
        long line) {
    /** Validates and copies. */
    public BenchRow {
        Checks.argument(id != null && subset != null, "bench row: id and subset must not be null");
        prompt = List.copyOf(prompt);
        chosen = List.copyOf(chosen);
        rejected = List.copyOf(rejected);
        Checks.argument(
                !chosen.isEmpty() && !rejected.isEmpty(),
                () -> "bench row '" + id + "': chosen and rejected must be non-empty");
    }

    /** A v1 pair row built in code. */
    public static BenchRow pair(
            String id, String subset, String prompt, String chosen, String rejected) {
        return new BenchRow(
                id,
                subset,
                List.of(new Message("user", prompt)),
                List.of(chosen),
                List.of(rejected),
                OptionalInt.empty(),
                true,
                0);
    }

    /** All completions in scoring order: chosen first, then rejected. */
    public List<String> completions() {
        return java.util.stream.Stream.concat(chosen.stream(), rejected.stream()).toList();
    }
}
