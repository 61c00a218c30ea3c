package dev.reward4j.core.data;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * TRL preference rows, standard (strings) or conversational (lists of {@code {"role","content"}}
 * messages), with an explicit {@code prompt} or an implicit one. Implicit prompts are split off as
 * TRL's {@code extract_prompt} does: the longest common prefix of chosen and rejected (messages for
 * conversations; characters for strings, moving a space before the split point into the responses).
 * As TRL's {@code maybe_extract_prompt} ({@code trl/data_utils.py}), an explicit prompt of another
 * kind than {@code chosen} (a string prompt with conversations, as {@code
 * HuggingFaceH4/ultrafeedback_binarized}, whose chosen/rejected hold the whole conversation, or a
 * message-list prompt with string responses) is not used: the prompt is extracted from chosen and
 * rejected instead, and the row is counted in {@code DataCounters.promptsExtractedCount()}. Also
 * reads custom schemas through a {@link FieldMapping}. Two optional fields are carried into the
 * pair: {@value #CONTEXT} (the context a preference holds under, rendered into the prompt at
 * tokenization, so a reward model trained on such rows is context-conditioned) and {@value
 * #USER_ID} (the annotator).
 *
 * <pre>{"prompt": "What is 2+2?", "chosen": " 4.", "rejected": " 5."}
 * {"prompt": [{"role": "user", "content": "Hi"}], "chosen": [{"role": "assistant", "content": "Hello!"}], ...}
 * {"chosen": [{"role": "user", ...}, {"role": "assistant", ...}], "rejected": [...]}   (implicit prompt)
 * {"prompt": "Hi", "chosen": [{"role": "user", "content": "Hi"}, {"role": "assistant", ...}], ...}  (prompt extracted)
 * </pre>
 *
 * @param fields field names (TRL's by default)
 */
public record TrlFormat(FieldMapping fields) implements Format<PreferencePair> {
    /**
     * Optional field: the context the preference holds under (a system message or a stated
     * criterion; string or messages), rendered into the prompt by the tokenizer's {@link
     * ContextTemplate}.
     */
    public static final String CONTEXT = "context";

    /** Optional field: the annotator's id (pluralistic reward models group pairs by it). */
    public static final String USER_ID = "user_id";

    /** Validates the mapping. */
    public TrlFormat {
        java.util.Objects.requireNonNull(fields, "fields");
    }

    /** TRL field names. */
    public static TrlFormat standard() {
        return new TrlFormat(FieldMapping.defaults());
    }

    @Override
    public void read(Row row, Consumer<? super PreferencePair> out) {
        Text chosen = row.text(fields.chosen());
        Text rejected = row.text(fields.rejected());
        Text prompt;
        Text given = row.has(fields.prompt()) ? row.text(fields.prompt()) : null;
        if (given != null && isConversation(given) == isConversation(chosen)) {
            prompt = given;
        } else {
            if (given != null) {
                row.promptExtracted(); // TRL's maybe_extract_prompt: prompt and chosen differ
                // in kind
            }
            Text[] split = splitImplicit(row, chosen, rejected);
            prompt = split[0];
            chosen = split[1];
            rejected = split[2];
        }
        OptionalDouble margin = row.optNumber(fields.margin());
        double weight = row.optNumber(fields.weight()).orElse(1.0);
        if (weight < 0) {
            throw row.error(fields.weight(), "is " + weight, "a weight >= 0");
        }
        PreferencePair pair =
                new PreferencePair(
                        row.id(fields.id()),
                        prompt,
                        chosen,
                        rejected,
                        margin,
                        weight,
                        row.source());
        if (row.has(CONTEXT)) {
            pair = pair.withContext(row.text(CONTEXT));
        }
        Optional<String> user = row.optString(USER_ID);
        if (user.isPresent()) {
            if (user.get().isEmpty()) {
                throw row.error(USER_ID, "is empty", "a non-empty annotator id");
            }
            pair = pair.withUserId(user.get());
        }
        out.accept(pair);
    }

    private static boolean isConversation(Text t) {
        return t instanceof Conversation;
    }

    /** TRL {@code extract_prompt}: returns {prompt, chosen, rejected}. */
    private Text[] splitImplicit(Row row, Text chosen, Text rejected) {
        if (chosen instanceof PlainText c && rejected instanceof PlainText r) {
            int idx = commonPrefix(c.text(), r.text());
            return new Text[] {
                new PlainText(c.text().substring(0, idx)),
                new PlainText(c.text().substring(idx)),
                new PlainText(r.text().substring(idx))
            };
        }
        if (chosen instanceof Conversation c && rejected instanceof Conversation r) {
            List<Message> cm = c.messages();
            List<Message> rm = r.messages();
            int n = Math.min(cm.size(), rm.size());
            int idx = 0;
            while (idx < n && cm.get(idx).equals(rm.get(idx))) {
                idx++;
            }
            return new Text[] {
                new Conversation(cm.subList(0, idx)),
                new Conversation(cm.subList(idx, cm.size())),
                new Conversation(rm.subList(idx, rm.size()))
            };
        }
        throw row.error(
                fields.rejected(),
                "mixes a string and a message list with '" + fields.chosen() + "'",
                "both strings or both message lists (or an explicit '"
                        + fields.prompt()
                        + "' field)");
    }

    /**
     * Character split point as TRL: first difference, moved left by one when the previous char is a
     * space.
     */
    static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int idx = 0;
        while (idx < n && a.charAt(idx) == b.charAt(idx)) {
            idx++;
        }
        if (idx > 0 && a.charAt(idx - 1) == ' ') {
            idx--;
        }
        return idx;
    }
}
