package dev.reward4j.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.DataFormatException;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.JointPreferenceFormat;
import dev.reward4j.core.data.JointPreferencePair;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.PreferenceTriple;
import dev.reward4j.core.data.PreferenceTripleFormat;
import dev.reward4j.core.data.RewardConsistency;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TripleBatch;
import dev.reward4j.core.data.TripleCollator;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joint pairs (different prompts) and triples: reading, tokenizing, collating. */
class JointPairTokenizerTest {
    static TextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @TempDir Path dir;

    Path write(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void jointPairsKeepEachPromptAndCollateWithTheirOwnResponseMasks() throws IOException {
        Path f =
                write(
                        "joint.jsonl",
                        "{\"id\":\"a\",\"prompt_chosen\":\"Name a fruit.\",\"chosen\":\"An"
                            + " apple.\",\"prompt_rejected\":\"Write a very long poem about the sea"
                            + " and its waves.\",\"rejected\":\"No.\"}",
                        "{\"id\":\"b\",\"prompt\":\"Same prompt.\",\"chosen\":\"Yes.\","
                                + "\"rejected\":\"No.\",\"weight\":0.5}");
        List<JointPreferencePair> pairs = DataReader.readAll(f, JointPreferenceFormat.standard());
        assertEquals(2, pairs.size());
        assertEquals(pairs.get(1).promptChosen(), pairs.get(1).promptRejected());
        DataCounters c = new DataCounters();
        JointPairTokenizer tok =
                new JointPairTokenizer(
                        new ExampleTokenizer(encoder, TruncationPolicy.defaults(), c));
        List<TokenizedPair> t = tok.jointPairs(pairs);
        assertEquals(2, t.size());
        assertNotEquals(t.get(0).chosen().promptLength(), t.get(0).rejected().promptLength());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            PairBatch b = new PairCollator(Padding.right(encoder.padId())).collate(t, m);
            float[] resp = b.responseMask().toFloatArray();
            long width = b.inputIds().getShape().get(1);
            // row 0 (chosen of a) and row 2 (rejected of a): response starts at each own prompt
            assertEquals(0f, resp[(int) (t.get(0).chosen().promptLength() - 1)]);
            assertEquals(1f, resp[t.get(0).chosen().promptLength()]);
            assertEquals(0f, resp[(int) (2 * width + t.get(0).rejected().promptLength() - 1)]);
            assertEquals(1f, resp[(int) (2 * width + t.get(0).rejected().promptLength())]);
            assertEquals(0.5f, b.weight().toFloatArray()[1]);
        }
    }

    @Test
    void aJointPairWithEqualPromptsTokenizesExactlyAsTheConditionalPair() {
        PreferencePair p =
                PreferencePair.of(
                        "x",
                        new dev.reward4j.core.data.PlainText("What is 2 + 2?"),
                        new dev.reward4j.core.data.PlainText("4."),
                        new dev.reward4j.core.data.PlainText("5, probably."),
                        new dev.reward4j.core.data.Source("t.jsonl", 1));
        ExampleTokenizer et =
                new ExampleTokenizer(encoder, TruncationPolicy.defaults(), new DataCounters());
        TokenizedPair conditional = et.pairs(List.of(p)).get(0);
        TokenizedPair joint =
                new JointPairTokenizer(et).jointPairs(List.of(JointPreferencePair.of(p))).get(0);
        assertArrayEquals(conditional.chosen().ids(), joint.chosen().ids());
        assertArrayEquals(conditional.rejected().ids(), joint.rejected().ids());
        assertEquals(conditional.chosen().promptLength(), joint.chosen().promptLength());
    }

    @Test
    void aMissingPromptFieldNamesFileLineAndField() throws IOException {
        Path f =
                write(
                        "bad.jsonl",
                        "{\"prompt_chosen\":\"a\",\"chosen\":\"b\",\"prompt_rejected\":\"c\",\"rejected\":\"d\"}",
                        "{\"prompt_chosen\":\"a\",\"chosen\":\"b\",\"rejected\":\"d\"}");
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> DataReader.readAll(f, JointPreferenceFormat.standard()));
        assertTrue(e.getMessage().contains("bad.jsonl"), e.getMessage());
        assertTrue(e.getMessage().contains("2"), e.getMessage());
        assertTrue(e.getMessage().contains("prompt_rejected"), e.getMessage());
    }

    @Test
    void triplesShareThePromptAndCollateGoldChosenRejected() throws IOException {
        Path f =
                write(
                        "tpo.jsonl",
                        "{\"prompt\":\"Add 2 and 3.\",\"reference\":\"5.\",\"chosen\":\"It is 5.\","
                                + "\"rejected\":\"6.\"}");
        List<PreferenceTriple> triples = DataReader.readAll(f, PreferenceTripleFormat.standard());
        ExampleTokenizer et =
                new ExampleTokenizer(encoder, TruncationPolicy.defaults(), new DataCounters());
        List<TokenizedList> t = new JointPairTokenizer(et).triples(triples);
        assertEquals(3, t.get(0).items().size());
        int prompt = t.get(0).items().get(0).promptLength();
        for (var s : t.get(0).items()) {
            assertEquals(prompt, s.promptLength());
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            TripleBatch b = new TripleCollator(Padding.right(encoder.padId())).collate(t, m);
            assertEquals(3, b.inputIds().getShape().get(0));
            assertEquals(1, b.triples());
        }
    }

    @Test
    void consistencyIsOneForTheSameOrderZeroForReversedAndHalfForTies() {
        assertEquals(
                1.0, RewardConsistency.rate(new double[] {1, 2, 3}, new double[] {10, 20, 30}));
        assertEquals(0.0, RewardConsistency.rate(new double[] {1, 2, 3}, new double[] {3, 2, 1}));
        assertEquals(0.5, RewardConsistency.rate(new double[] {1, 2}, new double[] {5, 5}));
        assertEquals(
                (1.0 / 3 + 1) / 2,
                RewardConsistency.rate(new double[] {1, 2, 3}, new double[] {1, 3, 2}),
                1e-12);
    }
}
