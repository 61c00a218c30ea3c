package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TrlFormatTest {
    @Nested
    class Standard {
        @Test
        void explicitPromptRowsKeepTextMarginWeightAndId() {
            List<PreferencePair> pairs = Samples.read("trl-standard.jsonl", TrlFormat.standard());
            assertEquals(3, pairs.size());
            PreferencePair p = pairs.get(0);
            assertEquals(
                    new PlainText("What is the boiling point of water at sea level?"), p.prompt());
            assertEquals(new PlainText(" 100 degrees Celsius (212 °F)."), p.chosen());
            assertEquals(new PlainText(" About 50 degrees."), p.rejected());
            assertFalse(p.margin().isPresent());
            assertEquals(1.0, p.weight());
            assertTrue(p.id().endsWith("trl-standard.jsonl:1"), p.id());
            assertEquals(1, p.source().line());
            assertEquals(1.5, pairs.get(1).margin().getAsDouble());
            assertEquals("trl-3", pairs.get(2).id());
            assertEquals(0.5, pairs.get(2).weight());
        }

        @Test
        void implicitPromptIsTheCommonPrefixWithTheSpaceMovedIntoTheResponses() {
            List<PreferencePair> pairs = Samples.read("trl-implicit.jsonl", TrlFormat.standard());
            assertEquals(new PlainText("Q: Is the Earth flat? A:"), pairs.get(0).prompt());
            assertEquals(new PlainText(" No, it is an oblate spheroid."), pairs.get(0).chosen());
            assertEquals(new PlainText(" Yes, obviously."), pairs.get(0).rejected());
            assertEquals(new PlainText("The capital of Japan is"), pairs.get(1).prompt());
            assertEquals(new PlainText(" Tokyo."), pairs.get(1).chosen());
        }
    }

    @Nested
    class Conversational {
        @Test
        void explicitPromptKeepsSystemAndUserMessages() {
            List<PreferencePair> pairs =
                    Samples.read("trl-conversational.jsonl", TrlFormat.standard());
            Conversation prompt = (Conversation) pairs.get(0).prompt();
            assertEquals(
                    List.of(
                            new Message("system", "You are a concise assistant."),
                            new Message("user", "What is 7 + 4?")),
                    prompt.messages());
            assertEquals(
                    Conversation.of(new Message("assistant", "It is 11.")), pairs.get(0).chosen());
        }

        @Test
        void implicitPromptIsTheCommonMessagePrefix() {
            List<PreferencePair> pairs =
                    Samples.read("trl-conversational-implicit.jsonl", TrlFormat.standard());
            assertEquals(1, ((Conversation) pairs.get(0).prompt()).messages().size());
            assertEquals(3, ((Conversation) pairs.get(1).prompt()).messages().size());
            assertEquals(Conversation.of(new Message("assistant", "22.")), pairs.get(1).rejected());
        }
    }

    @Nested
    class CustomSchema {
        @Test
        void fieldMappingReadsRenamedAndNestedFields() {
            FieldMapping m =
                    FieldMapping.defaults()
                            .withId("uid")
                            .withPrompt("question")
                            .withChosen("answer_good")
                            .withRejected("answer_bad")
                            .withMargin("meta.gap");
            List<PreferencePair> pairs = Samples.read("custom-schema.jsonl", new TrlFormat(m));
            assertEquals(2, pairs.size());
            assertEquals("c-2", pairs.get(1).id());
            assertEquals(new PlainText("What does HTTP 404 mean?"), pairs.get(1).prompt());
            assertEquals(3.5, pairs.get(1).margin().getAsDouble());
        }

        @Test
        void missingMappedFieldNamesFileLineAndField() {
            TrlFormat f = new TrlFormat(FieldMapping.defaults().withChosen("answer"));
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("custom-schema.jsonl", f));
            assertTrue(e.getMessage().contains("custom-schema.jsonl:1"), e.getMessage());
            assertEquals("answer", e.field());
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Nested
    class PromptAndResponsesOfDifferentKinds {
        @Test
        void ultrafeedbackBinarizedRowsTakeThePromptFromTheConversationsAndCountIt() {
            // HuggingFaceH4/ultrafeedback_binarized: a string prompt, chosen/rejected holding the
            // whole conversation (user + assistant); TRL's maybe_extract_prompt extracts the prompt
            // from the conversations because prompt and chosen differ in kind
            RecordStream<PreferencePair> s =
                    DataReader.open(
                            Samples.of("real/ultrafeedback_binarized.jsonl"),
                            TrlFormat.standard(),
                            ReadOptions.defaults());
            List<PreferencePair> pairs = new java.util.ArrayList<>();
            s.forEachRemaining(pairs::add);
            s.close();
            assertEquals(3, pairs.size());
            PreferencePair p = pairs.get(0);
            assertEquals(Conversation.of(new Message("user", "Is 91 a prime number?")), p.prompt());
            assertEquals(
                    Conversation.of(
                            new Message(
                                    "assistant",
                                    "No. 91 = 7 x 13, so it has divisors other than 1 and"
                                            + " itself.")),
                    p.chosen());
            assertEquals(
                    Conversation.of(new Message("assistant", "Yes, 91 is prime.")), p.rejected());
            assertEquals(3, s.counters().promptsExtractedCount());
            assertEquals(3, s.counters().parsedCount());
        }

        @Test
        void aMessagePromptWithStringResponsesIsExtractedByCharactersAsTrlDoes() {
            Row row =
                    row(
                            "{\"prompt\": [{\"role\": \"user\", \"content\": \"x\"}], \"chosen\":"
                                    + " \"Q: hi A: good\", \"rejected\": \"Q: hi A: bad\"}");
            List<PreferencePair> out = new java.util.ArrayList<>();
            TrlFormat.standard().read(row, out::add);
            assertEquals(new PlainText("Q: hi A:"), out.get(0).prompt());
            assertEquals(new PlainText(" good"), out.get(0).chosen());
        }

        @Test
        void aPromptOfTheResponsesKindIsKeptAndNotCounted() {
            dev.reward4j.core.data.DataCounters counters =
                    new dev.reward4j.core.data.DataCounters();
            Row row =
                    new Row(
                            json(
                                    "{\"prompt\": \"Q: hi A:\", \"chosen\": \" good\","
                                            + " \"rejected\": \" bad\"}"),
                            new Source("f.jsonl", 1),
                            counters);
            List<PreferencePair> out = new java.util.ArrayList<>();
            TrlFormat.standard().read(row, out::add);
            assertEquals(new PlainText("Q: hi A:"), out.get(0).prompt());
            assertEquals(0, counters.promptsExtractedCount());
        }

        static com.fasterxml.jackson.databind.JsonNode json(String text) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static Row row(String text) {
            return new Row(
                    json(text),
                    new Source("f.jsonl", 1),
                    new dev.reward4j.core.data.DataCounters());
        }
    }

    @Nested
    class ContextAndAnnotator {
        @Test
        void optionalContextAndUserIdAreCarriedIntoThePair() {
            List<PreferencePair> pairs = Samples.read("trl-context.jsonl", TrlFormat.standard());
            assertEquals(3, pairs.size());
            PreferencePair p = pairs.get(0);
            assertEquals(new PlainText("Answer in three words."), p.context().orElseThrow());
            assertEquals("annotator-7", p.userId().orElseThrow());
            // the tokenizer renders the context into the prompt with its template
            assertEquals(
                    new PlainText("Answer in three words.\nDescribe the weather."),
                    ContextTemplate.defaults().apply(p).prompt());
            assertTrue(pairs.get(1).context().orElseThrow() instanceof Conversation);
            assertTrue(pairs.get(1).userId().isEmpty());
            assertTrue(pairs.get(2).context().isEmpty());
        }

        @Test
        void anEmptyUserIdIsAnErrorWithFileLineAndField() {
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("bad/empty-user-id.jsonl", TrlFormat.standard()));
            assertEquals("user_id", e.field());
            assertEquals(2, e.source().line());
        }
    }
}
