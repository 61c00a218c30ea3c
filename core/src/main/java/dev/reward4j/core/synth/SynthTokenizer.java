package dev.reward4j.core.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds a word-level Hugging Face tokenizer ({@code tokenizer.json} + {@code
 * tokenizer_config.json}) for the synthetic data, loadable by DJL's {@code HuggingFaceTokenizer}
 * and by Python {@code transformers}.
 *
 * <p>Layout: ids 0-3 are {@code [PAD] [BOS] [EOS] [UNK]}, then every task word in sorted order.
 * Pre-tokenizer {@code Whitespace} ({@code \w+|[^\w\s]+}); the post-processor prepends {@code
 * [BOS]} (as the Llama tokenizers do); unknown words map to {@code [UNK]}.
 */
public final class SynthTokenizer {
    /** Special tokens, in id order. */
    public static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[BOS]", "[EOS]", "[UNK]");

    private SynthTokenizer() {}

    /**
     * The vocabulary in id order: the special tokens, then the sorted union of the tasks' words.
     */
    public static List<String> vocabulary(List<SynthTask> tasks) {
        List<String> words = new ArrayList<>();
        for (SynthTask t : tasks) {
            words.addAll(t.vocabulary());
        }
        return vocabularyOf(words);
    }

    /**
     * The vocabulary in id order for an explicit word list: the special tokens, then the sorted
     * distinct words.
     *
     * @param allWords the words (duplicates allowed)
     * @return the vocabulary
     */
    public static List<String> vocabularyOf(Collection<String> allWords) {
        TreeSet<String> words = new TreeSet<>(allWords);
        words.removeAll(SPECIAL_TOKENS);
        List<String> vocab = new ArrayList<>(SPECIAL_TOKENS);
        vocab.addAll(words);
        return vocab;
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code
     * special_tokens_map.json} into {@code dir} (created if missing).
     *
     * @param dir target directory
     * @param tasks the tasks whose words form the vocabulary
     * @param modelMaxLength {@code model_max_length} written into the config
     * @return {@code dir}
     */
    public static Path write(Path dir, List<SynthTask> tasks, int modelMaxLength) {
        return writeVocabulary(dir, vocabulary(tasks), modelMaxLength);
    }

    /**
     * Writes the tokenizer files for an explicit word list (the generators that are not a {@link
     * SynthTask}, such as {@link CyclicPreferences}, expose theirs as {@code vocabulary()}).
     *
     * @param dir target directory
     * @param words the words (special tokens are added first; duplicates allowed)
     * @param modelMaxLength {@code model_max_length} written into the config
     * @return {@code dir}
     */
    public static Path writeVocabulary(Path dir, Collection<String> words, int modelMaxLength) {
        Checks.positive(modelMaxLength, "SynthTokenizer.modelMaxLength");
        List<String> vocab = vocabularyOf(words);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            Files.createDirectories(dir);
            json.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson(vocab));
            json.writeValue(dir.resolve("tokenizer_config.json").toFile(), config(modelMaxLength));
            json.writeValue(dir.resolve("special_tokens_map.json").toFile(), specialTokensMap());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "SynthTokenizer: cannot write tokenizer files into " + dir, e);
        }
        return dir;
    }

    private static Map<String, Object> tokenizerJson(List<String> vocab) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Map<String, Object>> added = new ArrayList<>();
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", id);
            t.put("content", SPECIAL_TOKENS.get(id));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put("pre_tokenizer", Map.of("type", "Whitespace"));
        root.put("post_processor", postProcessor());
        root.put("decoder", null);
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordLevel");
        model.put("vocab", ids);
        model.put("unk_token", "[UNK]");
        root.put("model", model);
        return root;
    }

    private static Map<String, Object> postProcessor() {
        Map<String, Object> bos = Map.of("SpecialToken", Map.of("id", "[BOS]", "type_id", 0));
        Map<String, Object> pp = new LinkedHashMap<>();
        pp.put("type", "TemplateProcessing");
        pp.put("single", List.of(bos, Map.of("Sequence", Map.of("id", "A", "type_id", 0))));
        pp.put(
                "pair",
                List.of(
                        bos,
                        Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                        Map.of("Sequence", Map.of("id", "B", "type_id", 1))));
        pp.put(
                "special_tokens",
                Map.of(
                        "[BOS]",
                        Map.of("id", "[BOS]", "ids", List.of(1), "tokens", List.of("[BOS]"))));
        return pp;
    }

    private static Map<String, Object> config(int modelMaxLength) {
        Map<String, Object> c = new LinkedHashMap<>(specialTokensMap());
        c.put("model_max_length", modelMaxLength);
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("add_bos_token", true);
        c.put("add_eos_token", false);
        c.put("clean_up_tokenization_spaces", false);
        return c;
    }

    private static Map<String, Object> specialTokensMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pad_token", "[PAD]");
        m.put("bos_token", "[BOS]");
        m.put("eos_token", "[EOS]");
        m.put("unk_token", "[UNK]");
        return m;
    }
}
