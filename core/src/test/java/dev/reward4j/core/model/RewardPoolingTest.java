package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transformers' sequence-classification pooling on a checkpoint whose {@code pad_token_id} equals
 * {@code eos_token_id}: the {@code llama-rm} fixture (pad 0, EOS 2) copied with {@code
 * pad_token_id: 2}.
 */
class RewardPoolingTest {
    static final int EOS = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    /** Unpadded sequences: ending with EOS, with an EOS run, without EOS, with an inner EOS. */
    static final long[][] SEQS = {
        {1, 311, 428, 471, 78, EOS},
        {1, 454, 301, EOS, EOS},
        {1, 349, 396, 60, 280},
        {1, EOS, 55, EOS}
    };

    /**
     * transformers' index in each unpadded sequence, by hand: the rightmost token that is not the
     * pad id 2.
     */
    static final long[] HF_INDEX = {4, 2, 4, 2};

    static final int T = 8;

    @TempDir Path tmp;

    /** A copy of {@code fixture} whose config.json has {@code pad_token_id} set (or removed). */
    static Path copyWithPad(Path dir, String fixture, Integer padId) throws IOException {
        Files.createDirectories(dir);
        Path src = Fixtures.hf(fixture);
        ObjectNode config = (ObjectNode) JSON.readTree(src.resolve("config.json").toFile());
        if (padId == null) {
            config.remove("pad_token_id");
        } else {
            config.put("pad_token_id", padId);
        }
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    /** SEQS padded with EOS to width T on the given side, with the attention masks. */
    static NDArray[] padded(NDManager m, boolean left) {
        long[] ids = new long[SEQS.length * T];
        long[] mask = new long[SEQS.length * T];
        for (int i = 0; i < SEQS.length; i++) {
            int offset = left ? T - SEQS[i].length : 0;
            for (int j = 0; j < T; j++) {
                ids[i * T + j] = EOS;
            }
            for (int j = 0; j < SEQS[i].length; j++) {
                ids[i * T + offset + j] = SEQS[i][j];
                mask[i * T + offset + j] = 1;
            }
        }
        Shape shape = new Shape(SEQS.length, T);
        return new NDArray[] {m.create(ids, shape), m.create(mask, shape)};
    }

    /**
     * The expected reward of each sequence: the original fixture (pad 0, so pooling is irrelevant
     * here) scoring the prefix ending at the hand-computed index, alone and unpadded; a causal
     * model's hidden state at that index is the same.
     */
    static float[] prefixScores(NDManager m, DecoderModel reference, long[] index) {
        float[] out = new float[SEQS.length];
        for (int i = 0; i < SEQS.length; i++) {
            int len = (int) index[i] + 1;
            long[] prefix = java.util.Arrays.copyOf(SEQS[i], len);
            NDArray ids = m.create(prefix, new Shape(1, len));
            NDArray mask = m.ones(new Shape(1, len), ai.djl.ndarray.types.DataType.INT64);
            out[i] = reference.scores(ids, mask).toFloatArray()[0];
        }
        return out;
    }

    @Nested
    class HfRule {
        @Test
        void readsTheLastTokenThatIsNotThePadIdWithRightAndLeftPadding() throws IOException {
            Path padIsEos = copyWithPad(tmp.resolve("pad-eos"), "llama-rm", EOS);
            try (DecoderModel model =
                            DecoderModel.load(padIsEos, ModelHead.REWARD, ModelOptions.defaults());
                    DecoderModel reference =
                            DecoderModel.load(
                                    Fixtures.hf("llama-rm"),
                                    ModelHead.REWARD,
                                    ModelOptions.defaults());
                    NDManager m = model.manager().newSubManager()) {
                assertEquals(RewardPooling.HF, model.pooling());
                assertEquals(EOS, model.poolingPadId());
                float[] expected = prefixScores(m, reference, HF_INDEX);
                NDArray[] right = padded(m, false);
                assertArrayEquals(
                        HF_INDEX, model.pooledPositions(right[0], right[1]).toLongArray());
                assertArrayEquals(
                        expected,
                        model.scores(right[0], right[1]).squeeze(1).toFloatArray(),
                        1e-5f);
                NDArray[] left = padded(m, true);
                // left padding shifts each sequence right by T - length
                assertArrayEquals(
                        new long[] {6, 5, 7, 6},
                        model.pooledPositions(left[0], left[1]).toLongArray());
                assertArrayEquals(
                        expected, model.scores(left[0], left[1]).squeeze(1).toFloatArray(), 1e-5f);
            }
        }

        @Test
        void lastAttendedReadsTheFinalEosInstead() throws IOException {
            Path padIsEos = copyWithPad(tmp.resolve("pad-eos"), "llama-rm", EOS);
            long[] lastAttended = {5, 4, 4, 3};
            try (DecoderModel model =
                            DecoderModel.load(
                                    padIsEos,
                                    ModelHead.REWARD,
                                    ModelOptions.defaults()
                                            .withPooling(RewardPooling.LAST_ATTENDED));
                    DecoderModel reference =
                            DecoderModel.load(
                                    Fixtures.hf("llama-rm"),
                                    ModelHead.REWARD,
                                    ModelOptions.defaults());
                    NDManager m = model.manager().newSubManager()) {
                NDArray[] right = padded(m, false);
                assertArrayEquals(
                        lastAttended, model.pooledPositions(right[0], right[1]).toLongArray());
                assertArrayEquals(
                        prefixScores(m, reference, lastAttended),
                        model.scores(right[0], right[1]).squeeze(1).toFloatArray(),
                        1e-5f);
            }
        }

        @Test
        void aRowOfPadTokensOnlyIsReadAtPositionZeroAsTransformersDoes() throws IOException {
            Path padIsEos = copyWithPad(tmp.resolve("pad-eos"), "llama-rm", EOS);
            try (DecoderModel model =
                            DecoderModel.load(padIsEos, ModelHead.REWARD, ModelOptions.defaults());
                    NDManager m = model.manager().newSubManager()) {
                // argmax_t(t * [ids != pad]) over all-zero flags is 0
                NDArray ids = m.create(new long[] {EOS, EOS, EOS, 1, 5, EOS}, new Shape(2, 3));
                NDArray mask = m.create(new long[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
                assertArrayEquals(
                        new long[] {0, 1}, model.pooledPositions(ids, mask).toLongArray());
            }
        }

        @Test
        void packedRowsApplyTheSameRulePerSegment() throws IOException {
            Path padIsEos = copyWithPad(tmp.resolve("pad-eos"), "llama-rm", EOS);
            try (DecoderModel model =
                            DecoderModel.load(padIsEos, ModelHead.REWARD, ModelOptions.defaults());
                    NDManager m = model.manager().newSubManager()) {
                NDArray[] right = padded(m, false);
                float[] unpacked = model.scores(right[0], right[1]).squeeze(1).toFloatArray();
                // all four sequences (lengths 6, 5, 5, 4) in one row of 24, padded with EOS
                int width = 24;
                long[] ids = new long[width];
                long[] pos = new long[width];
                long[] seg = new long[width];
                long[] seqLast = new long[SEQS.length];
                java.util.Arrays.fill(ids, EOS);
                int fill = 0;
                for (int i = 0; i < SEQS.length; i++) {
                    for (int j = 0; j < SEQS[i].length; j++) {
                        ids[fill + j] = SEQS[i][j];
                        pos[fill + j] = j;
                        seg[fill + j] = i + 1;
                    }
                    fill += SEQS[i].length;
                    seqLast[i] = fill - 1;
                }
                Shape row = new Shape(1, width);
                float[] packed =
                        model.scoresPacked(
                                        m.create(ids, row),
                                        m.create(pos, row),
                                        m.create(seg, row),
                                        m.create(new long[SEQS.length]),
                                        m.create(seqLast))
                                .squeeze(1)
                                .toFloatArray();
                assertArrayEquals(unpacked, packed, 1e-5f);
            }
        }
    }

    @Nested
    class PadId {
        @Test
        void anUnsetPadIdBecomesTheTokenizersDistinctPadElseEosAndIsSaved() throws IOException {
            Path noPad = copyWithPad(tmp.resolve("no-pad"), "llama-rm", null);
            int tokenizerPad;
            try (TextEncoder encoder = TextEncoder.load(Fixtures.hf("tokenizer"))) {
                tokenizerPad = encoder.padId();
                assertTrue(tokenizerPad != EOS, "the fixture tokenizer has its own pad token");
            }
            try (DecoderModel withTokenizer =
                            DecoderModel.load(
                                    noPad,
                                    ModelHead.REWARD,
                                    ModelOptions.defaults(),
                                    Fixtures.hf("tokenizer"));
                    DecoderModel without =
                            DecoderModel.load(noPad, ModelHead.REWARD, ModelOptions.defaults())) {
                assertEquals(tokenizerPad, withTokenizer.poolingPadId());
                assertEquals(EOS, without.poolingPadId());
                without.save(tmp.resolve("saved"), Fixtures.hf("tokenizer"));
            }
            // the saved pad_token_id is the one the rewards were pooled with, not the tokenizer's
            JsonNode saved = JSON.readTree(tmp.resolve("saved/config.json").toFile());
            assertEquals(EOS, saved.get("pad_token_id").asInt());
            assertEquals("hf", saved.get(RewardPooling.CONFIG_KEY).asText());
        }

        @Test
        void anUnreadableTokenizerNextToTheWeightsFallsBackToEos() throws IOException {
            Path noPad = copyWithPad(tmp.resolve("broken-tokenizer"), "llama-rm", null);
            Files.writeString(noPad.resolve("tokenizer.json"), "{not json");
            try (DecoderModel model =
                    DecoderModel.load(noPad, ModelHead.REWARD, ModelOptions.defaults())) {
                assertEquals(EOS, model.poolingPadId());
            }
        }

        @Test
        void theSavedConfigNotesThePoolingAndLoadingReadsItBack() throws IOException {
            try (DecoderModel model =
                    DecoderModel.load(
                            Fixtures.hf("llama-rm"),
                            ModelHead.REWARD,
                            ModelOptions.defaults().withPooling(RewardPooling.LAST_ATTENDED))) {
                assertEquals(Optional.empty(), RewardPooling.recordedIn(model.config()));
                model.save(tmp.resolve("la"), null);
            }
            ModelConfig back = ModelConfig.load(tmp.resolve("la"));
            assertEquals(Optional.of(RewardPooling.LAST_ATTENDED), RewardPooling.recordedIn(back));
            assertEquals(0, back.padTokenId());
        }

        @Test
        void parsesTheConfigNamesOnly() {
            assertEquals(RewardPooling.HF, RewardPooling.parse("hf"));
            assertEquals(RewardPooling.LAST_ATTENDED, RewardPooling.parse("last-attended"));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RewardPooling.parse("eos"));
            assertTrue(e.getMessage().contains("[hf, last-attended]"), e.getMessage());
        }
    }
}
