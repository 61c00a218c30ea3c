package dev.reward4j.core.pipeline;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.JointPreferencePair;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.PreferenceTriple;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.UnpairedFeedback;
import dev.reward4j.core.data.WeightedExample;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.JointPairTokenizer;
import dev.reward4j.core.text.StepTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.transform.ChainOfHindsight;
import dev.reward4j.core.transform.StagedPair;
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

    /**
     * Reads and tokenizes joint preference pairs (chosen and rejected under their own prompts, see
     * {@link JointPairTokenizer}); a pair is kept only when both of its sides are, and the counters
     * count sides (a dropped side is a {@code dropped} entry with its location).
     */
    public static Prepared<TokenizedPair> jointPairs(
            Path file,
            Format<JointPreferencePair> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(
                file,
                format,
                options,
                encoder,
                policy,
                (tokenizer, chunk) -> new JointPairTokenizer(tokenizer).jointPairs(chunk));
    }

    /**
     * Reads and tokenizes preference triples as lists of three responses to one prompt, in the
     * order gold, chosen, rejected ({@link JointPairTokenizer#triples}).
     */
    public static Prepared<TokenizedList> triples(
            Path file,
            Format<PreferenceTriple> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(
                file,
                format,
                options,
                encoder,
                policy,
                (tokenizer, chunk) -> new JointPairTokenizer(tokenizer).triples(chunk));
    }

    /**
     * Reads and tokenizes step-annotated solutions (process reward models): each step is followed
     * by {@code separator}, whose last token's position is where the step is scored; steps past
     * {@code maxLength} are cut (counted as truncated) and a solution with no step left is dropped
     * (see {@link StepTokenizer}).
     */
    public static Prepared<TokenizedSteps> steps(
            Path file,
            Format<StepwiseExample> format,
            TextEncoder encoder,
            String separator,
            int maxLength,
            ReadOptions options) {
        DataCounters tokenCounters = new DataCounters();
        StepTokenizer tokenizer = new StepTokenizer(encoder, separator, maxLength, tokenCounters);
        List<TokenizedSteps> out = new ArrayList<>();
        DataCounters readCounters =
                stream(
                        file,
                        format,
                        options,
                        CHUNK,
                        chunk -> out.addAll(tokenizer.tokenize(chunk)));
        DataCounters all = new DataCounters();
        all.add(readCounters);
        all.add(tokenCounters);
        return new Prepared<>(out, all);
    }

    /**
     * Reads and tokenizes weighted supervised examples (e.g. C-RLFT's class-conditioned examples);
     * the response tokens are the loss targets.
     */
    public static Prepared<WeightedSequence> weighted(
            Path file,
            Format<WeightedExample> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        return prepare(file, format, options, encoder, policy, ExampleTokenizer::weighted);
    }

    /**
     * Reads preference pairs and turns each into a Chain-of-Hindsight sequence (see {@link
     * ChainOfHindsight}).
     */
    public static Prepared<WeightedSequence> hindsight(
            Path file,
            Format<PreferencePair> format,
            ChainOfHindsight hindsight,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options) {
        DataCounters tokenCounters = new DataCounters();
        List<WeightedSequence> out = new ArrayList<>();
        DataCounters readCounters =
                stream(
                        file,
                        format,
                        options,
                        CHUNK,
                        chunk ->
                                out.addAll(
                                        hindsight.tokenize(chunk, encoder, policy, tokenCounters)));
        DataCounters all = new DataCounters();
        all.add(readCounters);
        all.add(tokenCounters);
        return new Prepared<>(out, all);
    }

    /**
     * Reads staged preference pairs (a curriculum, e.g. {@code CurryCurriculum.on(lists)}) and
     * tokenizes them, stage by stage.
     *
     * @param stages number of stages; every pair's stage must be below it
     * @return the tokenized pairs of each stage (stage 0 first, file order within a stage) and the
     *     counters
     */
    public static Staged<TokenizedPair> stagedPairs(
            Path file,
            Format<StagedPair> format,
            TextEncoder encoder,
            TruncationPolicy policy,
            ReadOptions options,
            int stages) {
        if (stages < 1) {
            throw new IllegalArgumentException(
                    "DataPipeline: stages (" + stages + ") < 1; expected >= 1");
        }
        DataCounters tokenCounters = new DataCounters();
        ExampleTokenizer tokenizer = new ExampleTokenizer(encoder, policy, tokenCounters);
        List<List<TokenizedPair>> out = new ArrayList<>();
        for (int i = 0; i < stages; i++) {
            out.add(new ArrayList<>());
        }
        DataCounters readCounters =
                stream(
                        file,
                        format,
                        options,
                        CHUNK,
                        chunk -> {
                            List<List<PreferencePair>> byStage = new ArrayList<>();
                            for (int i = 0; i < stages; i++) {
                                byStage.add(new ArrayList<>());
                            }
                            for (StagedPair p : chunk) {
                                if (p.stage() >= stages) {
                                    throw new IllegalArgumentException(
                                            "DataPipeline: pair "
                                                    + p.pair().id()
                                                    + " at "
                                                    + p.pair().source()
                                                    + " has stage "
                                                    + p.stage()
                                                    + "; expected < "
                                                    + stages);
                                }
                                byStage.get(p.stage()).add(p.pair());
                            }
                            for (int i = 0; i < stages; i++) {
                                if (!byStage.get(i).isEmpty()) {
                                    out.get(i).addAll(tokenizer.pairs(byStage.get(i)));
                                }
                            }
                        });
        DataCounters all = new DataCounters();
        all.add(readCounters);
        all.add(tokenCounters);
        return new Staged<>(out, all);
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
