package dev.reward4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.DataFormatException;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.WeightedExample;
import dev.reward4j.core.transform.ClassConditioning.ClassCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassConditioningTest {
    static ClassConditioning openChatLike() {
        Map<String, ClassCondition> classes = new LinkedHashMap<>();
        classes.put("gpt4", new ClassCondition("GPT4 Correct ", 1.0));
        classes.put("gpt3.5", new ClassCondition("GPT3 ", 0.1));
        return new ClassConditioning("model", classes);
    }

    @Test
    void aPlainPromptGetsTheTagAsPrefixAndTheClassRewardAsWeight() {
        WeightedExample e =
                openChatLike()
                        .example(
                                "1",
                                new PlainText("User: hi"),
                                new PlainText("hello"),
                                "gpt3.5",
                                Source.memory(1));
        assertEquals(new PlainText("GPT3 User: hi"), e.prompt());
        assertEquals(0.1, e.weight());
        assertEquals(new PlainText("hello"), e.response());
    }

    @Test
    void aConversationGetsTheTagInItsFirstUserMessageOrASystemMessage() {
        Conversation c = Conversation.of(new Message("system", "be brief"), Message.user("hi"));
        assertEquals(
                Conversation.of(new Message("system", "be brief"), Message.user("T hi")),
                ClassConditioning.condition(c, "T "));
        assertEquals(
                Conversation.of(new Message("system", "T "), new Message("system", "x")),
                ClassConditioning.condition(Conversation.of(new Message("system", "x")), "T "));
    }

    @Test
    void rowsAreReadWithTheirClassAndAnUnknownClassIsAnErrorListingTheKnownOnes(@TempDir Path dir)
            throws IOException {
        Path f = dir.resolve("c.jsonl");
        Files.writeString(
                f,
                "{\"id\": \"a\", \"prompt\": \"q1\", \"completion\": \"r1\", \"model\": \"gpt4\"}\n"
                        + "{\"prompt\": [{\"role\": \"user\", \"content\": \"q2\"}],"
                        + " \"response\": \"r2\", \"model\": \"gpt3.5\"}\n");
        List<WeightedExample> out = DataReader.readAll(f, openChatLike().format());
        assertEquals(2, out.size());
        assertEquals("a", out.get(0).id());
        assertEquals(new PlainText("GPT4 Correct q1"), out.get(0).prompt());
        assertEquals(1.0, out.get(0).weight());
        assertEquals(Conversation.of(Message.user("GPT3 q2")), out.get(1).prompt());
        assertEquals(f + ":2", out.get(1).id());
        Files.writeString(f, "{\"prompt\": \"q\", \"completion\": \"r\", \"model\": \"llama\"}\n");
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> DataReader.readAll(f, openChatLike().format()));
        assertTrue(e.getMessage().contains("model"), e.getMessage());
        assertTrue(e.getMessage().contains("[gpt4, gpt3.5]"), e.getMessage());
    }

    @Test
    void classesNeedDistinctTagsAndValidRewards() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new ClassConditioning(
                                "c",
                                Map.of(
                                        "a", new ClassCondition("X", 1),
                                        "b", new ClassCondition("X", 0.5))));
        assertThrows(IllegalArgumentException.class, () -> new ClassCondition("X", -1));
        assertThrows(IllegalArgumentException.class, () -> new ClassConditioning("c", Map.of()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> openChatLike().of("llama"));
        assertTrue(e.getMessage().contains("[gpt4, gpt3.5]"), e.getMessage());
    }
}
