package dev.reward4j.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEncoderTest {
    static TextEncoder encoder;
    static JsonNode cases;

    @BeforeAll
    static void load() throws IOException {
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
        cases = new ObjectMapper().readTree(Fixtures.hf("tokenizer-cases.json").toFile());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }

    static List<Message> messages(JsonNode arr) {
        List<Message> out = new ArrayList<>();
        arr.forEach(m -> out.add(new Message(m.get("role").asText(), m.get("content").asText())));
        return out;
    }

    @Nested
    class Parity {
        @Test
        void everyEncodeCaseMatchesTheReferenceIdsAndDecode() {
            assertTrue(cases.get("encode").size() >= 8);
            for (JsonNode c : cases.get("encode")) {
                String text = c.get("text").asText();
                int[] expected = ints(c.get("ids"));
                assertArrayEquals(expected, encoder.encode(text, true), "encode " + text);
                assertEquals(
                        c.get("decoded").asText(),
                        encoder.decode(expected, true),
                        "decode " + text);
            }
        }

        @Test
        void promptPathAddsTheSpecialPrefixExactlyLikeTheReference() {
            for (JsonNode c : cases.get("encode")) {
                String text = c.get("text").asText();
                int[] prefix = encoder.prefixFor(text);
                int[] body = encoder.encode(text, false);
                int[] joined = new int[prefix.length + body.length];
                System.arraycopy(prefix, 0, joined, 0, prefix.length);
                System.arraycopy(body, 0, joined, prefix.length, body.length);
                if (text.startsWith("<|bos|>")) {
                    // the text already carries BOS: no second one (reference would give BOS BOS)
                    assertFalse(encoder.startsWithDoubleBos(joined), text);
                } else {
                    assertArrayEquals(ints(c.get("ids")), joined, "prompt path " + text);
                }
            }
        }

        @Test
        void pairEncodingMatchesTheReference() {
            JsonNode pair = cases.get("pair");
            assertArrayEquals(
                    ints(pair.get("ids")),
                    encoder.encodePair(pair.get("a").asText(), pair.get("b").asText()));
        }

        @Test
        void everyChatCaseRendersAndEncodesLikeTheReference() {
            assertEquals(4, cases.get("chat").size());
            for (JsonNode c : cases.get("chat")) {
                List<Message> msgs = messages(c.get("messages"));
                boolean gen = c.get("add_generation_prompt").asBoolean();
                String rendered = encoder.render(msgs, gen);
                assertEquals(c.get("rendered").asText(), rendered);
                int[] prefix = encoder.prefixFor(rendered);
                int[] body = encoder.encode(rendered, false);
                int[] ids = new int[prefix.length + body.length];
                System.arraycopy(prefix, 0, ids, 0, prefix.length);
                System.arraycopy(body, 0, ids, prefix.length, body.length);
                assertArrayEquals(ints(c.get("ids")), ids, "chat ids " + rendered);
            }
        }

        @Test
        void conversationPairEncodingEqualsTheReferenceIdsOfTheFullConversation() {
            // chat case 0 is [user, assistant] without generation prompt; the encoder splits it
            // into prompt + response
            JsonNode c = cases.get("chat").get(0);
            List<Message> msgs = messages(c.get("messages"));
            TokenizedSequence s =
                    encoder.encode(
                            new Conversation(msgs.subList(0, 1)),
                            new Conversation(msgs.subList(1, 2)));
            assertArrayEquals(ints(c.get("ids")), s.ids());
            // prompt = reference ids of the rendering with add_generation_prompt=true (case 1 minus
            // the answer)
            String promptText = encoder.render(msgs.subList(0, 1), true);
            assertEquals(
                    encoder.prefixFor(promptText).length + encoder.encode(promptText, false).length,
                    s.promptLength());
        }

        @Test
        void batchEncodingEqualsOneByOneEncoding() {
            String[] texts = {"Hello world.", "", "x = 3 + 4 * (2 - 1)", "Été, naïve café — 東京 🙂"};
            int[][] batch = encoder.encodeBatch(texts);
            for (int i = 0; i < texts.length; i++) {
                assertArrayEquals(encoder.encode(texts[i], false), batch[i]);
            }
        }
    }

    @Nested
    class ExplicitOptions {
        @Test
        void longTextIsNeverTruncatedByTheTokenizer() {
            String longText = "seven plus twelve equals 19 ".repeat(400);
            int[] ids = encoder.encode(longText, true);
            assertTrue(
                    ids.length > 2000,
                    "got " + ids.length + " tokens; DJL's default would cut to 512");
        }

        @Test
        void specialTokensAreReadFromTheConfig() {
            assertEquals(1, encoder.bosId());
            assertEquals(2, encoder.eosId());
            assertEquals(0, encoder.padId());
            assertArrayEquals(new int[] {1}, encoder.specialPrefix());
        }
    }

    @Nested
    class BosAndEos {
        @Test
        void plainTextResponseGetsEosAndPromptGetsOneBos() {
            TokenizedSequence s =
                    encoder.encode(new PlainText("What is 7 + 4?"), new PlainText(" It is 11."));
            assertEquals(1, s.ids()[0]);
            assertFalse(encoder.startsWithDoubleBos(s.ids()));
            assertEquals(2, s.ids()[s.length() - 1]);
            assertEquals(1 + encoder.encode("What is 7 + 4?", false).length, s.promptLength());
        }

        @Test
        void conversationResponseEndsWithTheTemplateNotAnExtraEos() {
            TokenizedSequence s =
                    encoder.encode(
                            Conversation.of(new Message("user", "hi")),
                            Conversation.of(new Message("assistant", "hello")));
            assertEquals(203, s.ids()[s.length() - 1]); // "\n" after <|im_end|>
        }

        @Test
        void templateThatEmitsBosIsNotGivenASecondBos(@TempDir Path dir) throws IOException {
            Path tok = Fixtures.hf("tokenizer");
            Files.copy(tok.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
            String cfg =
                    Files.readString(tok.resolve("tokenizer_config.json"))
                            .replace(
                                    "\"chat_template\": \"{% for m",
                                    "\"chat_template\": \"{{ bos_token }}{% for m");
            Files.writeString(dir.resolve("tokenizer_config.json"), cfg);
            try (TextEncoder bosTemplate = TextEncoder.load(dir)) {
                TokenizedSequence s =
                        bosTemplate.encode(
                                Conversation.of(new Message("user", "hi")),
                                Conversation.of(new Message("assistant", "hello")));
                assertEquals(1, s.ids()[0]);
                assertEquals(3, s.ids()[1]); // <|im_start|>, not a second <|bos|>
            }
        }

        @Test
        void eosPolicyNeverAppendsNothingAndAlwaysAppendsToConversations() {
            try (TextEncoder never = TextEncoder.load(Fixtures.hf("tokenizer"), EosPolicy.NEVER);
                    TextEncoder always =
                            TextEncoder.load(Fixtures.hf("tokenizer"), EosPolicy.ALWAYS)) {
                TokenizedSequence plain = never.encode(new PlainText("a"), new PlainText(" b"));
                assertTrue(plain.ids()[plain.length() - 1] != 2);
                TokenizedSequence conv =
                        always.encode(
                                Conversation.of(new Message("user", "a")),
                                Conversation.of(new Message("assistant", "b")));
                assertEquals(2, conv.ids()[conv.length() - 1]);
            }
        }
    }

    @Nested
    class Validation {
        @Test
        void directoryWithoutTokenizerIsRejectedWithItsPath(@TempDir Path dir) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> TextEncoder.load(dir));
            assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        }

        @Test
        void conversationWithoutTemplateIsRejected(@TempDir Path dir) throws IOException {
            Files.copy(
                    Fixtures.hf("tokenizer").resolve("tokenizer.json"),
                    dir.resolve("tokenizer.json"));
            try (TextEncoder noTemplate = TextEncoder.load(dir)) {
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        noTemplate.encode(
                                                Conversation.of(new Message("user", "a")),
                                                new PlainText("b")));
                assertTrue(e.getMessage().contains("no chat_template"), e.getMessage());
            }
        }
    }
}
