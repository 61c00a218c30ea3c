package dev.reward4j.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Anthropic HH-RLHF transcripts: {@code chosen} and {@code rejected} are whole dialogues {@code
 * "\n\nHuman: ... \n\nAssistant: ..."} that share everything up to the final assistant turn. The
 * shared prefix, up to and including the last common {@code "\n\nAssistant:"}, becomes the prompt;
 * the rest of each transcript is the response.
 *
 * <pre>
 * {"chosen": "\n\nHuman: How do I boil an egg?\n\nAssistant: Put it in boiling water for 9 minutes.",
 *  "rejected": "\n\nHuman: How do I boil an egg?\n\nAssistant: Eggs are laid by hens."}</pre>
 *
 * @param asConversation when true the prompt becomes user/assistant messages and each response one
 *     assistant message (rendered with the tokenizer's chat template); when false the raw
 *     transcript text is kept
 */
public record HhRlhfFormat(boolean asConversation) implements Format<PreferencePair> {
    static final String HUMAN = "\n\nHuman:";
    static final String ASSISTANT = "\n\nAssistant:";

    /** Raw transcript text (the format's original form). */
    public static HhRlhfFormat text() {
        return new HhRlhfFormat(false);
    }

    @Override
    public void read(Row row, Consumer<? super PreferencePair> out) {
        String chosen = row.string("chosen");
        String rejected = row.string("rejected");
        int common = 0;
        int n = Math.min(chosen.length(), rejected.length());
        while (common < n && chosen.charAt(common) == rejected.charAt(common)) {
            common++;
        }
        int idx =
                common < ASSISTANT.length()
                        ? -1
                        : chosen.lastIndexOf(ASSISTANT, common - ASSISTANT.length());
        if (idx < 0) {
            throw row.error(
                    "chosen",
                    "shares no \"\\n\\nAssistant:\" turn with 'rejected'",
                    "two transcripts with the same dialogue up to a final \"\\n\\nAssistant:\"");
        }
        int cut = idx + ASSISTANT.length();
        String prompt = chosen.substring(0, cut);
        String c = chosen.substring(cut);
        String r = rejected.substring(cut);
        String id = row.id("id");
        if (!asConversation) {
            out.accept(
                    PreferencePair.of(
                            id,
                            new PlainText(prompt),
                            new PlainText(c),
                            new PlainText(r),
                            row.source()));
            return;
        }
        out.accept(
                PreferencePair.of(
                        id,
                        new Conversation(turns(row, prompt.substring(0, idx))),
                        Conversation.of(new Message("assistant", c.strip())),
                        Conversation.of(new Message("assistant", r.strip())),
                        row.source()));
    }

    /**
     * Splits {@code "\n\nHuman: a\n\nAssistant: b..."} into alternating user/assistant messages.
     */
    static List<Message> turns(Row row, String transcript) {
        List<Message> out = new ArrayList<>();
        int pos = 0;
        while (pos < transcript.length()) {
            boolean human = transcript.startsWith(HUMAN, pos);
            boolean assistant = transcript.startsWith(ASSISTANT, pos);
            if (!human && !assistant) {
                throw row.error(
                        "chosen",
                        "has text outside a turn at offset " + pos,
                        "turns starting with \\n\\nHuman: or \\n\\nAssistant:");
            }
            int start = pos + (human ? HUMAN.length() : ASSISTANT.length());
            int nextH = transcript.indexOf(HUMAN, start);
            int nextA = transcript.indexOf(ASSISTANT, start);
            int end = transcript.length();
            if (nextH >= 0) end = Math.min(end, nextH);
            if (nextA >= 0) end = Math.min(end, nextA);
            out.add(
                    new Message(
                            human ? "user" : "assistant",
                            transcript.substring(start, end).strip()));
            pos = end;
        }
        return out;
    }
}
