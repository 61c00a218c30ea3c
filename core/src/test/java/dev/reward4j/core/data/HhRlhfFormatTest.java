package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reward4j.core.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class HhRlhfFormatTest {
    @Test
    void gzippedTranscriptsSplitAtTheLastSharedAssistantTurn() {
        List<PreferencePair> pairs = Samples.read("hh-rlhf.jsonl.gz", HhRlhfFormat.text());
        assertEquals(2, pairs.size());
        assertEquals(
                new PlainText("\n\nHuman: How do I boil an egg?\n\nAssistant:"),
                pairs.get(0).prompt());
        assertEquals(
                new PlainText(
                        " Place it in boiling water for about 9 minutes, then cool it in cold"
                                + " water."),
                pairs.get(0).chosen());
        assertEquals(new PlainText(" Eggs come from chickens."), pairs.get(0).rejected());
        PlainText multi = (PlainText) pairs.get(1).prompt();
        assertEquals(
                "\n\n"
                        + "Human: What's a good name for a cat?\n\n"
                        + "Assistant: How about Miso?\n\n"
                        + "Human: Something longer?\n\n"
                        + "Assistant:",
                multi.text());
        assertEquals(new PlainText(" Cat."), pairs.get(1).rejected());
    }

    @Test
    void conversationModeTurnsTheTranscriptIntoMessages() {
        List<PreferencePair> pairs = Samples.read("hh-rlhf.jsonl.gz", new HhRlhfFormat(true));
        assertEquals(
                List.of(
                        new Message("user", "What's a good name for a cat?"),
                        new Message("assistant", "How about Miso?"),
                        new Message("user", "Something longer?")),
                ((Conversation) pairs.get(1).prompt()).messages());
        assertEquals(
                Conversation.of(new Message("assistant", "Sir Whiskers of Maplewood.")),
                pairs.get(1).chosen());
    }
}
