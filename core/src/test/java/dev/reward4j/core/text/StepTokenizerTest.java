package dev.reward4j.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.StepBatch;
import dev.reward4j.core.data.StepCollator;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.data.UserIndex;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.data.UserPairCollator;
import dev.reward4j.core.synth.SynthTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step tokenization and collation, and how pair tokenization carries user ids and renders contexts
 * (word-level synthetic tokenizer: one token per word, BOS prepended).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepTokenizerTest {
    TextEncoder enc;

    @BeforeAll
    void tokenizer(@TempDir Path dir) {
        SynthTokenizer.writeVocabulary(
                dir,
                List.of("add", "1", "2", "3", "4", "+", "=", ";", ".", "prefer", "x", "y", "q"),
                64);
        enc = TextEncoder.load(dir);
    }

    @AfterAll
    void close() {
        enc.close();
    }

    StepwiseExample example(String... steps) {
        return new StepwiseExample(
                "e",
                new PlainText("add 1 2 ."),
                List.of(steps),
                new double[steps.length],
                Source.memory(3));
    }

    @Test
    void eachStepEndsWithTheSeparatorWhoseLastTokenCarriesTheLabel() {
        TokenizedSteps t =
                new StepTokenizer(enc, ";", 64, new DataCounters())
                        .tokenize(List.of(example("1 + 2 = 3", "3 + 1 = 4")))
                        .get(0);
        // [BOS] add 1 2 . | 1 + 2 = 3 ; | 3 + 1 = 4 ;
        assertEquals(5, t.sequence().promptLength());
        assertArrayEquals(new int[] {10, 16}, t.stepEnds());
        int sep = enc.encode(";", false)[0];
        assertEquals(sep, t.sequence().ids()[10]);
        assertEquals(sep, t.sequence().ids()[16]);
    }

    @Test
    void stepsBeyondMaxLengthAreCutAndCountedAndNoRoomForAStepDrops() {
        DataCounters c = new DataCounters();
        StepTokenizer tok = new StepTokenizer(enc, ";", 12, c);
        List<TokenizedSteps> out =
                tok.tokenize(
                        List.of(example("1 + 2 = 3", "3 + 1 = 4"), example("1 + 2 = 3 + 1 + 1")));
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).steps());
        assertEquals(1, c.keptCount());
        assertEquals(1, c.droppedCount());
        assertEquals(1, c.responsesTruncatedCount());
    }

    @Test
    void aSeparatorThePreTokenizerDropsIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new StepTokenizer(enc, "\n", 64, new DataCounters()));
        assertTrue(e.getMessage().contains("no token"), e.getMessage());
    }

    @Test
    void theCollatorReadsStepsAtTheSeparatorsWithLeftAndRightPadding() {
        List<TokenizedSteps> t =
                new StepTokenizer(enc, ";", 64, new DataCounters())
                        .tokenize(List.of(example("1 + 2 = 3", "3 + 1 = 4"), example("1 + 1 = 2")));
        for (PaddingSide side : PaddingSide.values()) {
            try (NDManager m = NDManager.newBaseManager("PyTorch");
                    StepBatch b =
                            new StepCollator(new Padding(side, enc.padId(), 1, enc.bosId()))
                                    .collate(t, m)) {
                long[] ids = b.inputIds().toLongArray();
                long[] pos = b.stepPositions().toLongArray();
                long width = b.inputIds().getShape().get(1);
                int sep = enc.encode(";", false)[0];
                assertEquals(2, b.stepSlots());
                assertEquals(sep, ids[(int) pos[0]], side + " row 0 step 0");
                assertEquals(sep, ids[(int) pos[1]], side + " row 0 step 1");
                assertEquals(sep, ids[(int) (width + pos[2])], side + " row 1 step 0");
                assertArrayEquals(new float[] {1, 1, 1, 0}, b.stepMask().toFloatArray(), 0f);
                assertArrayEquals(new long[] {0, 0, 1, 1}, b.stepRows().toLongArray());
            }
        }
    }

    @Test
    void pairTokenizationCarriesTheUserIdAndRendersTheContext() {
        PreferencePair p =
                PreferencePair.of(
                                "p1",
                                new PlainText("q"),
                                new PlainText("x"),
                                new PlainText("y"),
                                Source.memory(1))
                        .withUserId("u7")
                        .withContext(new PlainText("prefer x"));
        TokenizedPair t =
                new ExampleTokenizer(enc, new TruncationPolicy.Drop(64), new DataCounters())
                        .pairs(List.of(p))
                        .get(0);
        assertEquals(Optional.of("u7"), t.userId());
        // [BOS] prefer x q | x [EOS]
        assertArrayEquals(
                enc.encode("prefer x q", false),
                java.util.Arrays.copyOfRange(t.chosen().ids(), 1, t.chosen().promptLength()));
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                UserPairBatch b =
                        new UserPairCollator(
                                        enc.padding(PaddingSide.RIGHT),
                                        UserIndex.of(List.of("u1", "u7")))
                                .collate(List.of(t), m)) {
            assertArrayEquals(new long[] {1}, b.userRows().toLongArray());
            assertEquals(List.of("u7"), b.users());
        }
        TokenizedPair anonymous =
                new TokenizedPair("p2", t.chosen(), t.rejected(), t.margin(), 1, Source.memory(2));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new UserPairCollator(
                                                enc.padding(PaddingSide.RIGHT),
                                                UserIndex.of(List.of("u1")))
                                        .collate(List.of(anonymous), null));
        assertTrue(
                e.getMessage().contains("pair p2") && e.getMessage().contains("no user_id"),
                e.getMessage());
    }
}
