package dev.reward4j.trainers.testkit;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.synth.SynthTokenizer;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.StepTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** A word-level tokenizer written for a generator's vocabulary, and tokenization through it. */
public final class SynthText implements AutoCloseable {
    private final TextEncoder encoder;
    private final Path dir;
    private final int vocabSize;

    private SynthText(TextEncoder encoder, Path dir, int vocabSize) {
        this.encoder = encoder;
        this.dir = dir;
        this.vocabSize = vocabSize;
    }

    /**
     * Writes the tokenizer for {@code words} into {@code dir} and loads it.
     *
     * @param dir a fresh directory
     * @param words the generator's vocabulary
     * @return the tokenizer
     */
    public static SynthText of(Path dir, Collection<String> words) {
        SynthTokenizer.writeVocabulary(dir, words, 256);
        return new SynthText(TextEncoder.load(dir), dir, SynthTokenizer.vocabularyOf(words).size());
    }

    /** The encoder. */
    public TextEncoder encoder() {
        return encoder;
    }

    /** The tokenizer directory. */
    public Path dir() {
        return dir;
    }

    /** Vocabulary size (the model's {@code vocab_size}). */
    public int vocabSize() {
        return vocabSize;
    }

    /** Right padding with the tokenizer's pad id. */
    public Padding padding() {
        return encoder.padding(PaddingSide.RIGHT);
    }

    /**
     * Tokenizes pairs (contexts rendered with the default template); nothing may be lost.
     *
     * @param pairs the pairs
     * @return one tokenized pair per pair
     */
    public List<TokenizedPair> pairs(List<PreferencePair> pairs) {
        DataCounters counters = new DataCounters();
        List<TokenizedPair> out =
                new ExampleTokenizer(encoder, new TruncationPolicy.Drop(128), counters)
                        .pairs(pairs);
        if (out.size() != pairs.size()) {
            throw new IllegalStateException("synthetic pairs lost: " + counters.summary());
        }
        return out;
    }

    /**
     * Tokenizes step-annotated solutions; nothing may be lost.
     *
     * @param examples the solutions
     * @param separator the step separator
     * @return one tokenized solution per example
     */
    public List<TokenizedSteps> steps(List<StepwiseExample> examples, String separator) {
        DataCounters counters = new DataCounters();
        List<TokenizedSteps> out =
                new StepTokenizer(encoder, separator, 128, counters).tokenize(examples);
        if (out.size() != examples.size()) {
            throw new IllegalStateException("synthetic solutions lost: " + counters.summary());
        }
        return out;
    }

    @Override
    public void close() {
        encoder.close();
    }
}
