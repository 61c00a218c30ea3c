package dev.reward4j.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthTokenizerTest {
    private static final Map<String, String> OPTIONS =
            Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true");

    @Test
    void vocabularyStartsWithTheSpecialTokensAndHasNoDuplicates() {
        List<String> v = SynthTokenizer.vocabulary(SynthConfig.defaults().tasks());
        assertEquals(List.of("[PAD]", "[BOS]", "[EOS]", "[UNK]"), v.subList(0, 4));
        assertEquals(v.size(), v.stream().distinct().count());
    }

    @Test
    void writtenTokenizerLoadsInDjlAndEncodesWordsToTheirIds(@TempDir Path dir) throws Exception {
        List<String> vocab = SynthTokenizer.vocabulary(SynthConfig.defaults().tasks());
        SynthTokenizer.write(dir, SynthConfig.defaults().tasks(), 64);
        HuggingFaceTokenizer.Builder builder =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(dir.resolve("tokenizer.json"))
                        .optTokenizerConfigPath(dir.resolve("tokenizer_config.json").toString());
        builder.configure(OPTIONS);
        try (HuggingFaceTokenizer tok = builder.build()) {
            Encoding e = tok.encode("compute 7 + 5 . answer 12.");
            // [BOS] then one id per word; "12." is split by the Whitespace pre-tokenizer
            long[] expected = {
                1,
                vocab.indexOf("compute"),
                vocab.indexOf("7"),
                vocab.indexOf("+"),
                vocab.indexOf("5"),
                vocab.indexOf("."),
                vocab.indexOf("answer"),
                vocab.indexOf("12"),
                vocab.indexOf(".")
            };
            assertArrayEquals(expected, e.getIds());
            assertEquals(3, tok.encode("zebra", false, false).getIds()[0]); // unknown word -> [UNK]
            assertEquals(
                    "compute 7 + 5 .",
                    tok.decode(e.getIds(), true).replace("answer 12 .", "").trim());
        }
    }

    @Test
    void everyGeneratedTextEncodesWithoutUnknownTokens(@TempDir Path dir) throws Exception {
        SynthTokenizer.write(dir, SynthConfig.defaults().tasks(), 64);
        try (HuggingFaceTokenizer tok =
                HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), OPTIONS)) {
            for (SynthPair p :
                    new SyntheticPreferences(SynthConfig.defaults()).pairs(Split.TRAIN, 0, 300)) {
                for (String text : List.of(p.prompt(), p.chosen(), p.rejected())) {
                    for (long id : tok.encode(text, false, false).getIds()) {
                        assertFalse(id == 3, "UNK in " + text);
                    }
                }
            }
        }
    }
}
