package dev.reward4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChainOfHindsightTest {
    static TextEncoder encoder;
    static final ChainOfHindsight GOOD_FIRST =
            new ChainOfHindsight(
                    "A helpful answer: ",
                    "An unhelpful answer: ",
                    ChainOfHindsight.Order.GOOD_FIRST,
                    0);

    @BeforeAll
    static void load() {
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static PreferencePair pair(String id, String prompt, String chosen, String rejected) {
        return new PreferencePair(
                id,
                new PlainText(prompt),
                new PlainText(chosen),
                new PlainText(rejected),
                OptionalDouble.empty(),
                0.5,
                new Source("h.jsonl", 7));
    }

    static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static int[] targets(WeightedSequence s) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < s.length(); t++) {
            if (s.target()[t]) {
                out.add(s.ids()[t]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void feedbackAndPromptTokensAreContextAndOnlyTheResponsesAreTargets() {
        DataCounters c = new DataCounters();
        WeightedSequence s =
                GOOD_FIRST
                        .tokenize(
                                List.of(pair("a", "What is 7 + 4?", "It is 11.", "It is 12.")),
                                encoder,
                                new TruncationPolicy.Drop(256),
                                c)
                        .get(0);
        int[] prompt = encoder.encode("What is 7 + 4?", false);
        int[] fb1 = encoder.encode(" A helpful answer: ", false);
        int[] good = encoder.encode("It is 11.", false);
        int[] fb2 = encoder.encode(" An unhelpful answer: ", false);
        int[] bad = encoder.encode("It is 12.", false);
        int[] eos = {encoder.eosId()};
        int[] bos = encoder.specialPrefix();
        assertArrayEquals(cat(bos, prompt, fb1, good, fb2, bad, eos), s.ids());
        // the loss sees the two responses and the final EOS, never the feedback phrases
        assertArrayEquals(cat(good, bad, eos), targets(s));
        int start = bos.length + prompt.length;
        for (int t = start; t < start + fb1.length; t++) {
            assertFalse(s.target()[t]);
        }
        assertEquals(0.5, s.weight());
        assertEquals(1, c.keptCount());
    }

    @Test
    void randomOrderIsDeterministicPerIdAndUsesBothOrders() {
        ChainOfHindsight random = ChainOfHindsight.defaults();
        int chosenFirst = 0;
        for (int i = 0; i < 64; i++) {
            PreferencePair p = pair("id-" + i, "q", "a", "b");
            assertEquals(random.chosenFirst(p), random.chosenFirst(p));
            chosenFirst += random.chosenFirst(p) ? 1 : 0;
        }
        assertTrue(chosenFirst > 16 && chosenFirst < 48, "chosen first " + chosenFirst + "/64");
        ChainOfHindsight badFirst =
                new ChainOfHindsight("good: ", "bad: ", ChainOfHindsight.Order.BAD_FIRST, 0);
        WeightedSequence s =
                badFirst.tokenize(
                                List.of(pair("x", "q", "yes", "no")),
                                encoder,
                                new TruncationPolicy.Drop(256),
                                new DataCounters())
                        .get(0);
        String text = encoder.decode(s.ids(), true);
        assertTrue(text.indexOf("bad:") < text.indexOf("good:"), text);
    }

    @Test
    void aConversationPromptIsRenderedWithTheChatTemplate() {
        PreferencePair p =
                new PreferencePair(
                        "c",
                        Conversation.of(Message.user("Hi")),
                        new PlainText("Hello."),
                        new PlainText("Go away."),
                        OptionalDouble.empty(),
                        1,
                        Source.memory(1));
        WeightedSequence s =
                GOOD_FIRST
                        .tokenize(
                                List.of(p),
                                encoder,
                                new TruncationPolicy.Drop(256),
                                new DataCounters())
                        .get(0);
        String rendered = encoder.render(List.of(Message.user("Hi")), true);
        int[] head = cat(encoder.prefixFor(rendered), encoder.encode(rendered, false));
        assertArrayEquals(head, Arrays.copyOf(s.ids(), head.length));
        assertArrayEquals(
                cat(
                        encoder.encode("Hello.", false),
                        encoder.encode("Go away.", false),
                        new int[] {encoder.eosId()}),
                targets(s));
    }

    @Test
    void tooLongSequencesAreCutFromTheEndOrDroppedAndCounted() {
        PreferencePair p = pair("l", "q", "one two three four five six", "seven eight nine ten");
        DataCounters full = new DataCounters();
        int n =
                GOOD_FIRST
                        .tokenize(List.of(p), encoder, new TruncationPolicy.Drop(256), full)
                        .get(0)
                        .length();
        DataCounters cut = new DataCounters();
        WeightedSequence s =
                GOOD_FIRST
                        .tokenize(
                                List.of(p),
                                encoder,
                                new TruncationPolicy.KeepPromptEnd(n - 3, 1, false),
                                cut)
                        .get(0);
        assertEquals(n - 3, s.length());
        assertEquals(1, cut.truncatedCount());
        DataCounters dropped = new DataCounters();
        assertTrue(
                GOOD_FIRST
                        .tokenize(List.of(p), encoder, new TruncationPolicy.Drop(n - 1), dropped)
                        .isEmpty());
        assertEquals(1, dropped.droppedCount());
        // a limit inside the first feedback phrase leaves no target: dropped
        DataCounters none = new DataCounters();
        assertTrue(
                GOOD_FIRST
                        .tokenize(List.of(p), encoder, new TruncationPolicy.KeepEnd(3), none)
                        .isEmpty());
        assertEquals(1, none.droppedCount());
    }

    @Test
    void anEmptyResponseIsInvalidAndCounted() {
        DataCounters c = new DataCounters();
        assertTrue(
                GOOD_FIRST
                        .tokenize(
                                List.of(pair("e", "q", "", "no")),
                                encoder,
                                new TruncationPolicy.Drop(256),
                                c)
                        .isEmpty());
        assertEquals(1, c.invalidCount());
    }

    @Test
    void feedbackPhrasesMustDiffer() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChainOfHindsight("x", "x", ChainOfHindsight.Order.RANDOM, 0));
    }
}
