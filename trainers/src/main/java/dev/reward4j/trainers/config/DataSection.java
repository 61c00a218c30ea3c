package dev.reward4j.trainers.config;

import dev.reward4j.core.text.TruncationPolicy;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code data:} training and evaluation files, their format, batching and truncation.
 *
 * @param train training file (.jsonl, .jsonl.gz or .parquet)
 * @param eval held-out file, or null
 * @param format reader of both files, one of {@link DataFormat#keys()}; {@code auto} = the
 *     objective family's usual format (checked against the objective by {@link RunConfig})
 * @param maxLength maximum tokens per sequence (prompt + response)
 * @param batchSize examples (pairs, lists, rows) per micro-batch
 * @param evalBatchSize examples per evaluation batch
 * @param lenient skip malformed rows (counted) instead of failing
 * @param truncation what happens to a longer example: {@code keep-prompt-end} (cut the prompt's
 *     start, then the response's end), {@code keep-end} (keep the last {@code max_length} tokens;
 *     leading special tokens are lost) or {@code drop} (drop the example; counted)
 * @param reserveResponse keep-prompt-end only: response tokens kept even when the prompt alone is
 *     too long; null = {@code min(64, max_length / 2)}
 * @param forceEos keep-prompt-end only: end a cut response with EOS (OpenRLHF style) instead of no
 *     EOS (TRL style); null = false
 * @param packing pack each training micro-batch's {@code batch_size} pairs into rows of {@code
 *     max_length} tokens (several sequences per row, block-diagonal causal mask) instead of padding
 *     every sequence to the batch's longest; same loss and gradients, less compute. Only for the
 *     pairwise reward-model objectives (checked by {@link RunConfig}); held-out evaluation stays
 *     padded
 */
public record DataSection(
        String train,
        String eval,
        String format,
        int maxLength,
        int batchSize,
        int evalBatchSize,
        boolean lenient,
        String truncation,
        Integer reserveResponse,
        Boolean forceEos,
        boolean packing) {
    static final String KEEP_PROMPT_END = "keep-prompt-end";
    static final Set<String> TRUNCATION =
            new TreeSet<>(Set.of(KEEP_PROMPT_END, "keep-end", "drop"));

    /** Validates the values. */
    public DataSection {
        DataFormat.parse(format);
        Require.atLeast(maxLength, 2, "max_length");
        Require.atLeast(batchSize, 1, "batch_size");
        Require.atLeast(evalBatchSize, 1, "eval_batch_size");
        Require.oneOf(truncation, TRUNCATION, "truncation");
        if (!truncation.equals(KEEP_PROMPT_END)) {
            onlyWithKeepPromptEnd(reserveResponse, "reserve_response", truncation);
            onlyWithKeepPromptEnd(forceEos, "force_eos", truncation);
        }
        if (reserveResponse != null) {
            Require.atLeast(reserveResponse, 1, "reserve_response");
            if (reserveResponse >= maxLength) {
                throw new IllegalArgumentException(
                        "reserve_response: expected an integer < max_length ("
                                + maxLength
                                + ") (got "
                                + reserveResponse
                                + "); the prompt keeps at least one token");
            }
        }
    }

    /**
     * No files (train must be given), auto format, 512 tokens, 8 examples per micro-batch, 16 per
     * evaluation batch, strict, keep the prompt's end, no packing.
     */
    public static DataSection defaults() {
        return new DataSection(
                null,
                null,
                DataFormat.AUTO.key(),
                512,
                8,
                16,
                false,
                KEEP_PROMPT_END,
                null,
                null,
                false);
    }

    /**
     * This section with {@code max_length} and {@code truncation} replaced (validated like the YAML
     * keys; {@code reserve_response} and {@code force_eos} are kept, so they must suit the new
     * truncation). {@code reward4j eval} builds its held-out truncation from {@code
     * defaults().withTruncation(..)}, so it has the training defaults.
     */
    public DataSection withTruncation(int maxLength, String truncation) {
        return new DataSection(
                train,
                eval,
                format,
                maxLength,
                batchSize,
                evalBatchSize,
                lenient,
                truncation,
                reserveResponse,
                forceEos,
                packing);
    }

    /**
     * The parsed {@code format} (possibly {@link DataFormat#AUTO}; {@link RunConfig#dataFormat()}
     * resolves it).
     */
    public DataFormat dataFormat() {
        return DataFormat.parse(format);
    }

    /**
     * The truncation policy for {@code max_length}: the one function that turns the {@code data:}
     * keys into a policy, used by training ({@code TrainRun}) and by {@code reward4j eval} on
     * held-out pairs.
     */
    public TruncationPolicy truncationPolicy() {
        return switch (truncation) {
            case "keep-end" -> new TruncationPolicy.KeepEnd(maxLength);
            case "drop" -> new TruncationPolicy.Drop(maxLength);
            default ->
                    new TruncationPolicy.KeepPromptEnd(
                            maxLength,
                            reserveResponse != null
                                    ? reserveResponse
                                    : Math.max(1, Math.min(64, maxLength / 2)),
                            forceEos != null && forceEos);
        };
    }

    private static void onlyWithKeepPromptEnd(Object value, String key, String truncation) {
        if (value != null) {
            throw new IllegalArgumentException(
                    key
                            + ": only used with truncation "
                            + KEEP_PROMPT_END
                            + " (got truncation '"
                            + truncation
                            + "'); remove the key");
        }
    }
}
