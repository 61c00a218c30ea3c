package dev.reward4j.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Counts of everything read, kept, truncated, dropped, invalid or skipped, with the first {@value
 * #MAX_LINES} source locations of each dropped / invalid / skipped example. Not thread-safe: one
 * instance per reading thread, merged with {@link #add(DataCounters)}; serializable, so the
 * counters of a cluster job's partitions travel to its driver.
 *
 * <ul>
 *   <li>{@code read}: rows read from the file (each JSONL line or Parquet row);
 *   <li>{@code parsed}: examples produced by the reader (one row may give several, e.g.
 *       UltraFeedback pairs);
 *   <li>{@code kept}: examples that survived tokenization and truncation (set by the tokenizer of
 *       {@code dev.reward4j.core.text});
 *   <li>{@code truncated}: examples with at least one cut sequence ({@code promptsTruncated},
 *       {@code responsesTruncated} count sequences, {@code eosForced} responses whose last token
 *       became EOS);
 *   <li>{@code dropped}: examples removed by the truncation policy (too long);
 *   <li>{@code invalid}: examples rejected on content (chosen equal to rejected, empty response,
 *       empty list, a sequence starting with BOS BOS, no response token left after truncation,
 *       ...);
 *   <li>{@code identicalAfterTruncation}: pairs whose chosen and rejected token sequences differ
 *       before truncation but are identical after it (their difference lies in the part that was
 *       cut); dropped, since such a pair has loss {@code log 2} and zero gradient;
 *   <li>{@code tailsKept}: pairs that truncation would have made identical and that were kept by
 *       cutting their responses from the left instead (the truncation policy's {@code
 *       keep-differing-tail} choice), so the tokens where they differ stay;
 *   <li>{@code skipped}: malformed rows skipped in lenient mode, and rows a format skips by
 *       definition (ties).
 *   <li>{@code filtered}: rows left out because their split column is not the selected split
 *       ({@code data.split}); read, but not examples of this file, and not counted as lost;
 *   <li>{@code promptsExtracted}: rows whose {@code prompt} field was replaced by the prompt taken
 *       from the conversations (TRL's {@code maybe_extract_prompt}: the prompt and the responses
 *       differ in kind, e.g. a string prompt with full chosen/rejected conversations);
 *   <li>{@code completionsDropped}: completions left out of a row that is still read (an
 *       UltraFeedback completion whose score is null), with the first locations.
 * </ul>
 */
public final class DataCounters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** How many source locations are kept per category. */
    public static final int MAX_LINES = 1000;

    private long read;
    private long parsed;
    private long kept;
    private long truncated;
    private long promptsTruncated;
    private long responsesTruncated;
    private long eosForced;
    private long dropped;
    private long invalid;
    private long skipped;
    private long filtered;
    private long promptsExtracted;
    private long completionsDropped;
    private long identicalAfterTruncation;
    private long tailsKept;
    private final List<String> identicalAfterTruncationAt = new ArrayList<>();
    private final List<String> droppedAt = new ArrayList<>();
    private final List<String> invalidAt = new ArrayList<>();
    private final List<String> skippedAt = new ArrayList<>();
    private final List<String> completionsDroppedAt = new ArrayList<>();

    /** Adds one read row. */
    public void read() {
        read++;
    }

    /** Adds one example produced by a reader. */
    public void parsed() {
        parsed++;
    }

    /** Adds one kept example. */
    public void kept() {
        kept++;
    }

    /**
     * Adds one truncated example with the given number of cut prompts, cut responses and forced EOS
     * tokens.
     */
    public void truncated(int prompts, int responses, int eos) {
        truncated++;
        promptsTruncated += prompts;
        responsesTruncated += responses;
        eosForced += eos;
    }

    /** Adds one dropped example at {@code where} ({@code file:line}) for {@code reason}. */
    public void dropped(String where, String reason) {
        dropped++;
        note(droppedAt, where, reason);
    }

    /** Adds one invalid example. */
    public void invalid(String where, String reason) {
        invalid++;
        note(invalidAt, where, reason);
    }

    /**
     * Adds one pair dropped because truncation made chosen and rejected identical, at {@code where}
     * for {@code reason}.
     */
    public void identicalAfterTruncation(String where, String reason) {
        identicalAfterTruncation++;
        note(identicalAfterTruncationAt, where, reason);
    }

    /** Adds one pair kept by keeping the differing tails of its responses. */
    public void tailKept() {
        tailsKept++;
    }

    /** Adds one skipped row. */
    public void skipped(String where, String reason) {
        skipped++;
        note(skippedAt, where, reason);
    }

    /** Adds one row left out by the split selector. */
    public void filtered() {
        filtered++;
    }

    /** Adds one row whose prompt was taken from its conversations. */
    public void promptExtracted() {
        promptsExtracted++;
    }

    /** Adds one completion dropped from a row at {@code where} for {@code reason}. */
    public void completionDropped(String where, String reason) {
        completionsDropped++;
        note(completionsDroppedAt, where, reason);
    }

    private static void note(List<String> list, String where, String reason) {
        if (list.size() < MAX_LINES) {
            list.add(where + " " + reason);
        }
    }

    /** Adds {@code other}'s counts (and locations, up to the cap) to this. */
    public void add(DataCounters other) {
        read += other.read;
        parsed += other.parsed;
        kept += other.kept;
        truncated += other.truncated;
        promptsTruncated += other.promptsTruncated;
        responsesTruncated += other.responsesTruncated;
        eosForced += other.eosForced;
        dropped += other.dropped;
        invalid += other.invalid;
        skipped += other.skipped;
        filtered += other.filtered;
        promptsExtracted += other.promptsExtracted;
        completionsDropped += other.completionsDropped;
        identicalAfterTruncation += other.identicalAfterTruncation;
        tailsKept += other.tailsKept;
        append(identicalAfterTruncationAt, other.identicalAfterTruncationAt);
        append(droppedAt, other.droppedAt);
        append(invalidAt, other.invalidAt);
        append(skippedAt, other.skippedAt);
        append(completionsDroppedAt, other.completionsDroppedAt);
    }

    private static void append(List<String> into, List<String> from) {
        for (String s : from) {
            if (into.size() < MAX_LINES) {
                into.add(s);
            }
        }
    }

    /**
     * Every count by name ({@code read}, {@code parsed}, {@code kept}, {@code truncated}, {@code
     * promptsTruncated}, {@code responsesTruncated}, {@code eosForced}, {@code dropped}, {@code
     * invalid}, {@code skipped}, {@code filtered}, {@code promptsExtracted}, {@code
     * completionsDropped}, {@code identicalAfterTruncation}, {@code tailsKept}), in that order;
     * {@link #restore} reads it back (e.g. from a file written with tokenized data).
     */
    public java.util.Map<String, Long> counts() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("read", read);
        m.put("parsed", parsed);
        m.put("kept", kept);
        m.put("truncated", truncated);
        m.put("promptsTruncated", promptsTruncated);
        m.put("responsesTruncated", responsesTruncated);
        m.put("eosForced", eosForced);
        m.put("dropped", dropped);
        m.put("invalid", invalid);
        m.put("skipped", skipped);
        m.put("filtered", filtered);
        m.put("promptsExtracted", promptsExtracted);
        m.put("completionsDropped", completionsDropped);
        m.put("identicalAfterTruncation", identicalAfterTruncation);
        m.put("tailsKept", tailsKept);
        return m;
    }

    /**
     * The first source locations by category ({@code droppedAt}, {@code invalidAt}, {@code
     * skippedAt}, {@code completionsDroppedAt}, {@code identicalAfterTruncationAt}); {@link
     * #restore} reads them back.
     */
    public java.util.Map<String, List<String>> locations() {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        m.put("droppedAt", List.copyOf(droppedAt));
        m.put("invalidAt", List.copyOf(invalidAt));
        m.put("skippedAt", List.copyOf(skippedAt));
        m.put("completionsDroppedAt", List.copyOf(completionsDroppedAt));
        m.put("identicalAfterTruncationAt", List.copyOf(identicalAfterTruncationAt));
        return m;
    }

    /**
     * Counters with the given counts ({@link #counts()}'s names; a missing name is 0) and first
     * locations ({@link #locations()}'s names; a missing category is empty).
     *
     * @throws IllegalArgumentException for an unknown name or a negative count
     */
    public static DataCounters restore(
            java.util.Map<String, Long> counts, java.util.Map<String, List<String>> locations) {
        DataCounters c = new DataCounters();
        java.util.Set<String> known = c.counts().keySet();
        for (java.util.Map.Entry<String, Long> e : counts.entrySet()) {
            if (!known.contains(e.getKey()) || e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException(
                        "DataCounters: count "
                                + e.getKey()
                                + "="
                                + e.getValue()
                                + "; expected a count >= 0 named one of "
                                + known);
            }
        }
        java.util.Set<String> categories = c.locations().keySet();
        for (String k : locations.keySet()) {
            if (!categories.contains(k)) {
                throw new IllegalArgumentException(
                        "DataCounters: locations '" + k + "'; expected one of " + categories);
            }
        }
        c.read = counts.getOrDefault("read", 0L);
        c.parsed = counts.getOrDefault("parsed", 0L);
        c.kept = counts.getOrDefault("kept", 0L);
        c.truncated = counts.getOrDefault("truncated", 0L);
        c.promptsTruncated = counts.getOrDefault("promptsTruncated", 0L);
        c.responsesTruncated = counts.getOrDefault("responsesTruncated", 0L);
        c.eosForced = counts.getOrDefault("eosForced", 0L);
        c.dropped = counts.getOrDefault("dropped", 0L);
        c.invalid = counts.getOrDefault("invalid", 0L);
        c.skipped = counts.getOrDefault("skipped", 0L);
        c.filtered = counts.getOrDefault("filtered", 0L);
        c.promptsExtracted = counts.getOrDefault("promptsExtracted", 0L);
        c.completionsDropped = counts.getOrDefault("completionsDropped", 0L);
        c.identicalAfterTruncation = counts.getOrDefault("identicalAfterTruncation", 0L);
        c.tailsKept = counts.getOrDefault("tailsKept", 0L);
        append(c.droppedAt, locations.getOrDefault("droppedAt", List.of()));
        append(c.invalidAt, locations.getOrDefault("invalidAt", List.of()));
        append(c.skippedAt, locations.getOrDefault("skippedAt", List.of()));
        append(c.completionsDroppedAt, locations.getOrDefault("completionsDroppedAt", List.of()));
        append(
                c.identicalAfterTruncationAt,
                locations.getOrDefault("identicalAfterTruncationAt", List.of()));
        return c;
    }

    /** Rows read. */
    public long readCount() {
        return read;
    }

    /** Examples produced by the reader. */
    public long parsedCount() {
        return parsed;
    }

    /** Examples kept after tokenization and truncation. */
    public long keptCount() {
        return kept;
    }

    /** Examples with at least one truncated sequence. */
    public long truncatedCount() {
        return truncated;
    }

    /** Truncated prompt sequences. */
    public long promptsTruncatedCount() {
        return promptsTruncated;
    }

    /** Truncated response sequences. */
    public long responsesTruncatedCount() {
        return responsesTruncated;
    }

    /** Responses whose last kept token was overwritten with EOS. */
    public long eosForcedCount() {
        return eosForced;
    }

    /** Examples dropped by the truncation policy. */
    public long droppedCount() {
        return dropped;
    }

    /** Invalid examples. */
    public long invalidCount() {
        return invalid;
    }

    /** Skipped rows. */
    public long skippedCount() {
        return skipped;
    }

    /** Rows left out by the split selector. */
    public long filteredCount() {
        return filtered;
    }

    /** Rows whose prompt was taken from their conversations. */
    public long promptsExtractedCount() {
        return promptsExtracted;
    }

    /** Completions dropped from rows that were still read. */
    public long completionsDroppedCount() {
        return completionsDropped;
    }

    /** Pairs dropped because truncation made chosen and rejected identical. */
    public long identicalAfterTruncationCount() {
        return identicalAfterTruncation;
    }

    /** Pairs kept by keeping the differing tails of their responses. */
    public long tailsKeptCount() {
        return tailsKept;
    }

    /** {@code file:line reason} of the first pairs made identical by truncation. */
    public List<String> identicalAfterTruncationAt() {
        return Collections.unmodifiableList(identicalAfterTruncationAt);
    }

    /** {@code file:line reason} of the first dropped completions. */
    public List<String> completionsDroppedAt() {
        return Collections.unmodifiableList(completionsDroppedAt);
    }

    /** {@code file:line reason} of the first dropped examples. */
    public List<String> droppedAt() {
        return Collections.unmodifiableList(droppedAt);
    }

    /** {@code file:line reason} of the first invalid examples. */
    public List<String> invalidAt() {
        return Collections.unmodifiableList(invalidAt);
    }

    /** {@code file:line reason} of the first skipped rows. */
    public List<String> skippedAt() {
        return Collections.unmodifiableList(skippedAt);
    }

    /**
     * Fails when more than {@code maxRate} of the examples (parsed + skipped) were dropped,
     * invalid, made identical by truncation or skipped.
     *
     * @param maxRate allowed fraction in [0, 1]
     * @throws IllegalStateException naming the counts and the first locations
     */
    public void requireLossRateAtMost(double maxRate) {
        long lost = dropped + invalid + identicalAfterTruncation + skipped;
        long total = parsed + skipped;
        if (total > 0 && (double) lost / total > maxRate) {
            throw new IllegalStateException(
                    "data: "
                            + lost
                            + " of "
                            + total
                            + " examples lost ("
                            + summary()
                            + "); expected at most "
                            + Math.round(maxRate * 100)
                            + "%. First: dropped "
                            + head(droppedAt)
                            + ", invalid "
                            + head(invalidAt)
                            + ", identical after truncation "
                            + head(identicalAfterTruncationAt)
                            + ", skipped "
                            + head(skippedAt));
        }
    }

    private static List<String> head(List<String> l) {
        return l.subList(0, Math.min(5, l.size()));
    }

    /**
     * One-line summary of every count, e.g. {@code read=10 parsed=10 kept=8 truncated=1 (prompts=1
     * responses=0 eosForced=0) dropped=1 invalid=1 identicalAfterTruncation=0 tailsKept=0 skipped=0
     * filtered=0 promptsExtracted=0 completionsDropped=0}.
     */
    public String summary() {
        return "read="
                + read
                + " parsed="
                + parsed
                + " kept="
                + kept
                + " truncated="
                + truncated
                + " (prompts="
                + promptsTruncated
                + " responses="
                + responsesTruncated
                + " eosForced="
                + eosForced
                + ") dropped="
                + dropped
                + " invalid="
                + invalid
                + " identicalAfterTruncation="
                + identicalAfterTruncation
                + " tailsKept="
                + tailsKept
                + " skipped="
                + skipped
                + " filtered="
                + filtered
                + " promptsExtracted="
                + promptsExtracted
                + " completionsDropped="
                + completionsDropped;
    }

    @Override
    public String toString() {
        return "DataCounters[" + summary() + "]";
    }
}
