package dev.reward4j.trainers.run;

import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.trainers.config.ConfigException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks tokenized examples against the model that will read them, when the data is prepared rather
 * than at the first forward pass: every token id must be below the model's {@code vocab_size} (a
 * tokenizer of another model gives ids the embedding table does not have) and every sequence at
 * most {@code max_position_embeddings} long. A violation is a {@link ConfigException} naming the
 * example's file and line, the id or length, and the model's {@code config.json}.
 */
public final class ModelFit {
    private ModelFit() {}

    /**
     * Checks {@code data.max_length} (or a command's {@code --max-length}) against the model's
     * positions.
     *
     * @param key the configuration key or option, for the message
     * @param maxLength the longest sequence the data may produce
     * @param model the model's configuration
     * @param modelDir the model directory, for the message
     */
    public static void checkMaxLength(String key, int maxLength, ModelConfig model, Path modelDir) {
        if (maxLength > model.maxPositions()) {
            throw new ConfigException(
                    key
                            + ": "
                            + maxLength
                            + " tokens exceed the model's max_position_embeddings ("
                            + model.maxPositions()
                            + " in "
                            + modelDir.resolve("config.json")
                            + "); expected at most "
                            + model.maxPositions());
        }
    }

    /**
     * Checks every sequence of {@code examples} ({@link TokenizedPair}, {@link TokenizedList},
     * {@link TokenizedRated}, {@link TokenizedUnpaired}, {@link WeightedSequence} or {@link
     * TokenizedSteps}).
     */
    public static void check(List<?> examples, ModelConfig model, Path modelDir) {
        for (Object e : examples) {
            if (e instanceof TokenizedPair p) {
                check(p.chosen(), p.source(), model, modelDir);
                check(p.rejected(), p.source(), model, modelDir);
            } else if (e instanceof TokenizedList l) {
                for (TokenizedSequence s : l.items()) {
                    check(s, l.source(), model, modelDir);
                }
            } else if (e instanceof TokenizedRated r) {
                check(r.sequence(), r.source(), model, modelDir);
            } else if (e instanceof TokenizedUnpaired u) {
                check(u.sequence(), u.source(), model, modelDir);
            } else if (e instanceof WeightedSequence w) {
                check(new TokenizedSequence(w.ids(), 0), w.source(), model, modelDir);
            } else if (e instanceof TokenizedSteps st) {
                check(st.sequence(), st.source(), model, modelDir);
            } else {
                throw new IllegalArgumentException(
                        "ModelFit: unknown example type " + e.getClass().getName());
            }
        }
    }

    /**
     * Checks one sequence of the example at {@code source}.
     *
     * @param s the tokenized sequence
     * @param source the example's file and line (or another label)
     * @param model the model's configuration
     * @param modelDir the model directory, for the message
     */
    public static void check(TokenizedSequence s, Source source, ModelConfig model, Path modelDir) {
        if (s.length() > model.maxPositions()) {
            throw new ConfigException(
                    "data: "
                            + source
                            + ": a sequence of "
                            + s.length()
                            + " tokens exceeds the model's max_position_embeddings ("
                            + model.maxPositions()
                            + " in "
                            + modelDir.resolve("config.json")
                            + "); expected data.max_length <= "
                            + model.maxPositions());
        }
        for (int id : s.ids()) {
            if (id < 0 || id >= model.vocabSize()) {
                throw new ConfigException(
                        "data: "
                                + source
                                + ": token id "
                                + id
                                + " is outside the model's vocabulary (vocab_size "
                                + model.vocabSize()
                                + " in "
                                + modelDir.resolve("config.json")
                                + "); expected the tokenizer of this model (model.tokenizer)");
            }
        }
    }
}
