package dev.reward4j.trainers.config;

import dev.reward4j.core.data.SplitFilter;
import dev.reward4j.core.text.IdenticalAfterTruncation;
import dev.reward4j.core.text.TruncationPolicy;
import java.util.Optional;
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
 * @param split the value of the rows' {@code split} column that training reads, for files holding
 *     several splits: training keeps the rows whose {@code split} equals it and the held-out file
 *     ({@code eval}) the rows whose {@code split} differs from it (NVIDIA's HelpSteer2-Preference
 *     routing, {@code split != "train"} to validation); other rows are counted as filtered. null =
 *     the format's own split ({@code train} for {@code helpsteer2-preference}, whose one file holds
 *     {@code train} and {@code val} rows; no filtering for the other formats); {@code all} = no
 *     filtering
 * @param maxPromptLength keep-prompt-end only: every prompt is first cut from the left to at most
 *     this many tokens, keeping its leading special tokens (TRL's {@code max_prompt_length}); null
 *     = no separate prompt limit
 * @param identicalAfterTruncation what happens to a pair that truncation makes identical (chosen
 *     and rejected differ only in the cut part): {@code drop} (the default; counted as {@code
 *     identicalAfterTruncation}) or, with keep-prompt-end, {@code keep-differing-tail} (both
 *     responses keep their last tokens instead of their first; counted as {@code tailsKept})
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
        boolean packing,
        String split,
        Integer maxPromptLength,
        String identicalAfterTruncation) {
    static final String KEEP_PROMPT_END = "keep-prompt-end";

    /** {@code split} value that turns the split selector off. */
    public static final String ALL_SPLITS = "all";

    static final Set<String> TRUNCATION =
            new TreeSet<>(Set.of(KEEP_PROMPT_END, "keep-end", "drop"));

    /** Validates the values. */
    public DataSection {
        DataFormat.parse(format);
        Require.atLeast(maxLength, 2, "max_length");
        Require.atLeast(batchSize, 1, "batch_size");
        Require.atLeast(evalBatchSize, 1, "eval_batch_size");
        Require.oneOf(truncation, TRUNCATION, "truncation");
        if (identicalAfterTruncation == null) {
            identicalAfterTruncation = IdenticalAfterTruncation.DROP.key();
        }
        IdenticalAfterTruncation.parse(identicalAfterTruncation);
        if (!truncation.equals(KEEP_PROMPT_END)) {
            onlyWithKeepPromptEnd(reserveResponse, "reserve_response", truncation);
            onlyWithKeepPromptEnd(forceEos, "force_eos", truncation);
            onlyWithKeepPromptEnd(maxPromptLength, "max_prompt_length", truncation);
            if (!identicalAfterTruncation.equals(IdenticalAfterTruncation.DROP.key())) {
                onlyWithKeepPromptEnd(
                        identicalAfterTruncation, "identical_after_truncation", truncation);
            }
        }
        if (maxPromptLength != null) {
            Require.atLeast(maxPromptLength, 1, "max_prompt_length");
            if (maxPromptLength >= maxLength) {
                throw new IllegalArgumentException(
                        "max_prompt_length: expected an integer < max_length ("
                                + maxLength
                                + ") (got "
                                + maxPromptLength
                                + "); the response needs room too");
            }
        }
        if (split != null && split.isBlank()) {
            throw new IllegalArgumentException(
                    "split: expected a split value, '"
                            + ALL_SPLITS
                            + "' or nothing (got a blank string)");
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

    /** A section without a prompt limit that drops pairs truncation makes identical. */
    public DataSection(
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
            boolean packing,
            String split) {
        this(
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
                packing,
                split,
                null,
                null);
    }

    /** A section with the format's own split selection ({@code split} null). */
    public DataSection(
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
        this(
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
                packing,
                null);
    }

    /**
     * No files (train must be given), auto format, 512 tokens, 8 examples per micro-batch, 16 per
     * evaluation batch, strict, keep the prompt's end, no packing, the format's own split, no
     * separate prompt limit, pairs made identical by truncation dropped.
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
                false,
                null);
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
                packing,
                split,
                maxPromptLength,
                identicalAfterTruncation);
    }

    /**
     * The rows of the training file that training reads, for a resolved {@code format}: {@code
     * split == <training split>}; empty = every row.
     */
    public Optional<SplitFilter> trainingRows(DataFormat format) {
        return trainingSplit(format).map(SplitFilter::only);
    }

    /**
     * The rows of the held-out file ({@code eval}, and {@code reward4j eval}) that are evaluated,
     * for a resolved {@code format}: {@code split != <training split>}; empty = every row.
     */
    public Optional<SplitFilter> heldOutRows(DataFormat format) {
        return trainingSplit(format).map(SplitFilter::allBut);
    }

    private Optional<String> trainingSplit(DataFormat format) {
        if (split == null) {
            return format.trainingSplit();
        }
        return split.equals(ALL_SPLITS) ? Optional.empty() : Optional.of(split);
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
                            forceEos != null && forceEos,
                            maxPromptLength == null ? 0 : maxPromptLength,
                            IdenticalAfterTruncation.parse(identicalAfterTruncation));
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
