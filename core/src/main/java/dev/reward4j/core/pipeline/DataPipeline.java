package dev.reward4j.core.pipeline;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.UnpairedFeedback;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The one-call data pipeline a trainer uses: reader → encoder + truncation → tokenized examples +
 * counters. Reads in chunks of {@value #CHUNK} examples so tokenization runs as one native batch
 * per chunk. The returned counters merge the reader's (rows read, examples parsed, rows skipped)
 * and the tokenizer's (kept, truncated, dropped, invalid).
 */
public final class DataPipeline {
    /** Examples per tokenizer batch. */
    public static final int CHUNK = 256;

    private DataPipeline() {}

    /** Reads and tokenizes preference pairs. */
    public static Prepared<TokenizedPair> pairs(
            Path file,
            Format<PreferencePair> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(file, format, options, encoder, policy, ExampleTokenizer::pairs);
    }

    /** Reads and tokenizes ranked lists. */
    public static Prepared<TokenizedList> lists(
            Path file,
            Format<RankedList> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(file, format, options, encoder, policy, ExampleTokenizer::lists);
    }

    /** Reads and tokenizes rated responses. */
    public static Prepared<TokenizedRated> rated(
            Path file,
            Format<RatedResponse> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(file, format, options, encoder, policy, ExampleTokenizer::rated);
    }

    /** Reads and tokenizes unpaired feedback. */
    public static Prepared<TokenizedUnpaired> unpaired(
            Path file,
            Format<UnpairedFeedback> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(file, format, options, encoder, policy, ExampleTokenizer::unpaired);
    }

    private static <E, T> Prepared<T> prepare(
            Path file,
            Format<E> format,
            ReadOptions options,
            TextEncoder encoder,
            TruncationPolicy policy,
            BiFunction<ExampleTokenizer, List<E>, List<T>> tokenize) {
        DataCounters tokenCounters = new DataCounters();
        ExampleTokenizer tokenizer = new ExampleTokenizer(encoder, policy, tokenCounters);
        List<T> out = new ArrayList<>();
        DataCounters readCounters =
                stream(
                        file,
                        format,
                        options,
                        CHUNK,
                        chunk -> out.addAll(tokenize.apply(tokenizer, chunk)));
        DataCounters all = new DataCounters();
        all.add(readCounters);
        all.add(tokenCounters);
        return new Prepared<>(out, all);
    }

    /**
     * Streams a file in chunks with constant memory (one chunk alive at a time).
     *
     * @param file the file
     * @param format the row format
     * @param options strict/lenient
     * @param chunkSize examples per chunk, {@code > 0}
     * @param sink receives each chunk (the list is not reused)
     * @return the reader's counters
     */
    public static <E> DataCounters stream(
            Path file,
            Format<E> format,
            ReadOptions options,
            int chunkSize,
            Consumer<List<E>> sink) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException(
                    "DataPipeline: chunkSize (" + chunkSize + ") <= 0; expected > 0");
        }
        try (RecordStream<E> s = DataReader.open(file, format, options)) {
            List<E> chunk = new ArrayList<>(chunkSize);
            while (s.hasNext()) {
                chunk.add(s.next());
                if (chunk.size() == chunkSize) {
                    sink.accept(chunk);
                    chunk = new ArrayList<>(chunkSize);
                }
            }
            if (!chunk.isEmpty()) {
                sink.accept(chunk);
            }
            return s.counters();
        }
    }
}
