package dev.reward4j.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.UnpairedFeedback;
import dev.reward4j.core.data.WeightedExample;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExampleTokenizerTest {
    static TextEncoder encoder;
    static final String LONG_PROMPT = "seven plus twelve equals 19. ".repeat(20);

    @BeforeAll
    static void load() {
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static PreferencePair pair(int line, String prompt, String chosen, String rejected) {
        return PreferencePair.of(
                "p" + line,
                new PlainText(prompt),
                new PlainText(chosen),
                new PlainText(rejected),
                new Source("t.jsonl", line));
    }

    static List<TokenizedPair> run(
            TruncationPolicy policy, DataCounters counters, PreferencePair... pairs) {
        return new ExampleTokenizer(encoder, policy, counters).pairs(List.of(pairs));
    }

    @Nested
    class Layout {
        @Test
        void shortPairIsPromptThenResponseWithBosAndEosAndNothingCounted() {
            DataCounters c = new DataCounters();
            TokenizedPair p =
                    run(
                                    new TruncationPolicy.Drop(256),
                                    c,
                                    pair(1, "What is 7 + 4?", " It is 11.", " 12."))
                            .get(0);
            int[] prompt = encoder.encode("What is 7 + 4?", false);
            assertEquals(1 + prompt.length, p.chosen().promptLength());
            assertArrayEquals(
                    concat(
                            new int[] {1},
                            prompt,
                            encoder.encode(" It is 11.", false),
                            new int[] {2}),
                    p.chosen().ids());
            assertArrayEquals(p.chosen().promptIds(), p.rejected().promptIds());
            assertEquals(1, c.keptCount());
            assertEquals(0, c.truncatedCount() + c.droppedCount() + c.invalidCount());
        }

        @Test
        void listItemsShareThePromptTokens() {
            DataCounters c = new DataCounters();
            RankedList l =
                    new RankedList(
                            "l",
                            new PlainText("Pick"),
                            List.of(
                                    new PlainText(" a"),
                                    new PlainText(" bb"),
                                    new PlainText(" ccc")),
                            new double[] {3, 2, 1},
                            Source.memory(1));
            TokenizedList t =
                    new ExampleTokenizer(encoder, TruncationPolicy.defaults(), c)
                            .lists(List.of(l))
                            .get(0);
            assertEquals(3, t.items().size());
            for (var item : t.items()) {
                assertArrayEquals(t.items().get(0).promptIds(), item.promptIds());
            }
            assertArrayEquals(new double[] {3, 2, 1}, t.scores());
        }

        @Test
        void conversationalUnpairedAndRatedExamplesTokenize() {
            DataCounters c = new DataCounters();
            ExampleTokenizer tok = new ExampleTokenizer(encoder, TruncationPolicy.defaults(), c);
            TokenizedUnpaired u =
                    tok.unpaired(
                                    List.of(
                                            new UnpairedFeedback(
                                                    "u",
                                                    Conversation.of(new Message("user", "hi")),
                                                    Conversation.of(
                                                            new Message("assistant", "hello")),
                                                    true,
                                                    Source.memory(1))))
                            .get(0);
            assertEquals(3, u.sequence().ids()[1]); // <|im_start|> after BOS
            TokenizedRated r =
                    tok.rated(
                                    List.of(
                                            new RatedResponse(
                                                    "r",
                                                    new PlainText("q"),
                                                    new PlainText(" a"),
                                                    List.of("helpfulness"),
                                                    new double[] {3},
                                                    new boolean[] {true},
                                                    Source.memory(2))))
                            .get(0);
            assertEquals(2, r.sequence().ids()[r.sequence().length() - 1]);
            assertEquals(2, c.keptCount());
        }
    }

    @Nested
    class Truncation {
        @Test
        void dropPolicyDropsTheWholePairAndNamesItsLine() {
            DataCounters c = new DataCounters();
            List<TokenizedPair> out =
                    run(
                            new TruncationPolicy.Drop(32),
                            c,
                            pair(7, LONG_PROMPT, " yes", " no"),
                            pair(8, "short", " a", " b"));
            assertEquals(1, out.size());
            assertEquals("p8", out.get(0).id());
            assertEquals(1, c.droppedCount());
            assertTrue(c.droppedAt().get(0).startsWith("t.jsonl:7"), c.droppedAt().toString());
        }

        @Test
        void keepPromptEndCutsThePromptFromTheLeftKeepingBosAndSharingItAcrossThePair() {
            DataCounters c = new DataCounters();
            TokenizedPair p =
                    run(
                                    new TruncationPolicy.KeepPromptEnd(40, 16, false),
                                    c,
                                    pair(1, LONG_PROMPT, " It is 19.", " 20."))
                            .get(0);
            int[] fullPrompt = encoder.encode(LONG_PROMPT, false);
            int[] chosenResp = concat(encoder.encode(" It is 19.", false), new int[] {2});
            assertEquals(40, p.chosen().length()); // the longer side fills maxLength exactly
            assertEquals(1, p.chosen().ids()[0]); // BOS survives
            int body = p.chosen().promptLength() - 1;
            assertArrayEquals(
                    Arrays.copyOfRange(fullPrompt, fullPrompt.length - body, fullPrompt.length),
                    Arrays.copyOfRange(p.chosen().ids(), 1, 1 + body)); // the prompt's END is kept
            assertArrayEquals(p.chosen().promptIds(), p.rejected().promptIds());
            assertArrayEquals(chosenResp, p.chosen().responseIds()); // response untouched, EOS kept
            assertEquals(1, c.truncatedCount());
            assertEquals(2, c.promptsTruncatedCount());
            assertEquals(0, c.responsesTruncatedCount());
        }

        @Test
        void keepPromptEndReservesResponseRoomAndCanForceEos() {
            DataCounters c = new DataCounters();
            String longAnswer = " the answer is nineteen".repeat(10);
            TokenizedPair p =
                    run(
                                    new TruncationPolicy.KeepPromptEnd(30, 10, true),
                                    c,
                                    pair(1, LONG_PROMPT, longAnswer, " no"))
                            .get(0);
            assertEquals(30, p.chosen().length());
            assertEquals(
                    10,
                    p.chosen().responseLength()); // reserve: prompt alone is longer than maxLength
            assertEquals(2, p.chosen().ids()[29]); // EOS forced onto the cut response
            assertEquals(
                    encoder.encode(" no", false).length + 1,
                    p.rejected().responseLength()); // short side intact
            assertEquals(1, c.responsesTruncatedCount());
            assertEquals(1, c.eosForcedCount());
        }

        @Test
        void keepPromptEndWithoutForcedEosLeavesTheCutResponseOpen() {
            DataCounters c = new DataCounters();
            String longAnswer = " the answer is nineteen".repeat(10);
            TokenizedPair p =
                    run(
                                    new TruncationPolicy.KeepPromptEnd(30, 10, false),
                                    c,
                                    pair(1, "Q?", longAnswer, " no"))
                            .get(0);
            assertEquals(30, p.chosen().length());
            assertArrayEquals(
                    Arrays.copyOf(encoder.encode(longAnswer, false), p.chosen().responseLength()),
                    p.chosen().responseIds());
            assertEquals(0, c.eosForcedCount());
            assertEquals(0, c.promptsTruncatedCount());
        }

        @Test
        void keepEndKeepsTheLastTokensOfEachSequence() {
            DataCounters c = new DataCounters();
            TokenizedPair p =
                    run(new TruncationPolicy.KeepEnd(20), c, pair(1, LONG_PROMPT, " yes", " no"))
                            .get(0);
            assertEquals(20, p.chosen().length());
            assertEquals(2, p.chosen().ids()[19]);
            assertEquals(20 - encoder.encode(" yes", false).length - 1, p.chosen().promptLength());
            assertEquals(2, c.promptsTruncatedCount());
        }
    }

    @Nested
    class Invalid {
        @Test
        void chosenEqualToRejectedAndEmptyResponsesAreCountedNotKept() {
            DataCounters c = new DataCounters();
            List<TokenizedPair> out =
                    run(
                            TruncationPolicy.defaults(),
                            c,
                            pair(1, "q", " same", " same"),
                            pair(2, "q", "", " b"),
                            pair(3, "q", " a", " b"));
            assertEquals(1, out.size());
            assertEquals(2, c.invalidCount());
            assertTrue(c.invalidAt().get(0).contains("chosen equals rejected"));
            assertTrue(c.invalidAt().get(1).contains("empty response"));
            assertEquals(1, c.keptCount());
        }

        @Test
        void lossRateThresholdFailsWithCountsAndLines() {
            DataCounters c = new DataCounters();
            c.parsed();
            c.parsed();
            run(
                    TruncationPolicy.defaults(),
                    c,
                    pair(1, "q", " same", " same"),
                    pair(2, "q", " a", " b"));
            c.requireLossRateAtMost(0.5);
            IllegalStateException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalStateException.class, () -> c.requireLossRateAtMost(0.1));
            assertTrue(e.getMessage().contains("1 of 2"), e.getMessage());
            assertTrue(e.getMessage().contains("t.jsonl:1"), e.getMessage());
        }
    }

    /** Checks on the token sequences as they are after truncation. */
    @Nested
    class FinalSequences {
        // HH-style: both responses share a long beginning and differ only at their end
        static final String SHARED = " Sure, here is a long and careful answer to that.".repeat(6);

        @Test
        void aPairMadeIdenticalByTruncationIsCountedOnItsOwnAndDropped() {
            DataCounters c = new DataCounters();
            List<TokenizedPair> out =
                    run(
                            new TruncationPolicy.KeepPromptEnd(48, 16, false),
                            c,
                            pair(1, "Q?", SHARED + " Yes.", SHARED + " No."),
                            pair(2, "Q?", " Yes.", " No."));
            // before truncation the responses differ; cut from the right to fit 48 tokens they
            // are the same tokens, so the pair would train at log 2 with zero gradient
            assertEquals(List.of("p2"), out.stream().map(TokenizedPair::id).toList());
            assertEquals(1, c.identicalAfterTruncationCount());
            assertEquals(0, c.invalidCount());
            assertEquals(0, c.truncatedCount()); // the dropped pair is not counted as kept-cut
            assertTrue(
                    c.identicalAfterTruncationAt().get(0).startsWith("t.jsonl:1 "),
                    c.identicalAfterTruncationAt().toString());
            assertTrue(c.summary().contains("identicalAfterTruncation=1"), c.summary());
        }

        @Test
        void keepDifferingTailKeepsTheResponsesEndsWhereTheyDiffer() {
            DataCounters c = new DataCounters();
            TruncationPolicy policy =
                    new TruncationPolicy.KeepPromptEnd(
                            48, 16, false, 0, IdenticalAfterTruncation.KEEP_DIFFERING_TAIL);
            TokenizedPair p =
                    run(policy, c, pair(1, "Q?", SHARED + " Yes.", SHARED + " No.")).get(0);
            int[] yes = concat(encoder.encode(SHARED + " Yes.", false), new int[] {2});
            int[] kept = p.chosen().responseIds();
            assertEquals(48, p.chosen().length());
            assertArrayEquals(
                    Arrays.copyOfRange(yes, yes.length - kept.length, yes.length),
                    kept); // the last tokens of the response, EOS included
            assertFalse(Arrays.equals(p.chosen().ids(), p.rejected().ids()));
            assertArrayEquals(p.chosen().promptIds(), p.rejected().promptIds());
            assertEquals(1, c.tailsKeptCount());
            assertEquals(0, c.identicalAfterTruncationCount());
            assertEquals(1, c.keptCount());
        }

        @Test
        void maxPromptLengthCutsEveryLongerPromptFromTheLeftKeepingBos() {
            DataCounters c = new DataCounters();
            TruncationPolicy policy =
                    new TruncationPolicy.KeepPromptEnd(
                            256, 16, false, 10, IdenticalAfterTruncation.DROP);
            TokenizedPair p = run(policy, c, pair(1, LONG_PROMPT, " yes", " no")).get(0);
            int[] fullPrompt = encoder.encode(LONG_PROMPT, false);
            assertEquals(10, p.chosen().promptLength()); // although the whole pair fits 256
            assertEquals(1, p.chosen().ids()[0]);
            assertArrayEquals(
                    Arrays.copyOfRange(fullPrompt, fullPrompt.length - 9, fullPrompt.length),
                    Arrays.copyOfRange(p.chosen().ids(), 1, 10));
            assertEquals(1, c.truncatedCount());
            assertEquals(2, c.promptsTruncatedCount());
        }

        @Test
        void aHugeTextIsCutBeforeEncodingWithTheSameTokensAsEncodingAllOfIt() {
            // 60,000 characters per side: far beyond 32 characters per token of max_length 64
            String hugePrompt = LONG_PROMPT.repeat(100);
            String hugeAnswer = " the answer is nineteen".repeat(2600);
            TruncationPolicy keepPromptEnd = new TruncationPolicy.KeepPromptEnd(64, 16, false);
            DataCounters c = new DataCounters();
            TokenizedPair p = run(keepPromptEnd, c, pair(1, hugePrompt, hugeAnswer, " no")).get(0);
            int[] prompt = encoder.encode(hugePrompt, false);
            int[] answer = encoder.encode(hugeAnswer, false);
            int body = p.chosen().promptLength() - 1;
            assertArrayEquals(
                    Arrays.copyOfRange(prompt, prompt.length - body, prompt.length),
                    Arrays.copyOfRange(p.chosen().ids(), 1, 1 + body));
            assertArrayEquals(
                    Arrays.copyOf(answer, p.chosen().responseLength()), p.chosen().responseIds());
            assertEquals(64, p.chosen().length());

            TokenizedPair e =
                    run(
                                    new TruncationPolicy.KeepEnd(64),
                                    new DataCounters(),
                                    pair(2, "Q?", hugeAnswer, " no"))
                            .get(0);
            int[] full = concat(answer, new int[] {2});
            assertArrayEquals(
                    Arrays.copyOfRange(full, full.length - 64, full.length), e.chosen().ids());

            DataCounters d = new DataCounters();
            assertTrue(
                    run(new TruncationPolicy.Drop(64), d, pair(3, "Q?", hugeAnswer, " no"))
                            .isEmpty());
            assertEquals(1, d.droppedCount());
        }

        @Test
        void twoHugeResponsesThatDifferOnlyAfterTheCutAreNotCalledEqualBeforeTruncation() {
            String shared = " the answer is nineteen".repeat(2600);
            DataCounters c = new DataCounters();
            List<TokenizedPair> out =
                    run(
                            new TruncationPolicy.KeepPromptEnd(64, 16, false),
                            c,
                            pair(1, "Q?", shared + " yes", shared + " no"));
            assertTrue(out.isEmpty());
            assertEquals(0, c.invalidCount()); // not "chosen equals rejected"
            assertEquals(1, c.identicalAfterTruncationCount());
        }
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    @Test
    void weightedExamplesTargetTheResponseTokensAndKeepTheirWeight() {
        DataCounters c = new DataCounters();
        List<WeightedSequence> out =
                new ExampleTokenizer(encoder, new TruncationPolicy.Drop(256), c)
                        .weighted(
                                List.of(
                                        new WeightedExample(
                                                "w",
                                                new PlainText("What is 7 + 4?"),
                                                new PlainText(" It is 11."),
                                                0.1,
                                                new Source("t.jsonl", 1)),
                                        new WeightedExample(
                                                "empty",
                                                new PlainText("q"),
                                                new PlainText(""),
                                                1,
                                                new Source("t.jsonl", 2))));
        assertEquals(1, out.size());
        WeightedSequence s = out.get(0);
        int promptLength = 1 + encoder.encode("What is 7 + 4?", false).length;
        for (int t = 0; t < s.length(); t++) {
            assertEquals(t >= promptLength, s.target()[t], "token " + t);
        }
        assertEquals(encoder.encode(" It is 11.", false).length + 1, s.targetTokens());
        assertEquals(0.1, s.weight());
        assertEquals(1, c.keptCount());
        assertEquals(1, c.invalidCount());
    }
}
