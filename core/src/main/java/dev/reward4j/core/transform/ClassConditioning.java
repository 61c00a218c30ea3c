package dev.reward4j.core.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.WeightedExample;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * C-RLFT's class-conditioned supervised data: examples from sources of different quality (e.g.
 * expert GPT-4 conversations and sub-optimal GPT-3.5 ones) carry their source as a class; the
 * prompt is conditioned on the class by a class-specific tag and the example is weighted by the
 * class's coarse-grained reward. Trained by weighted negative log-likelihood, this is the
 * reward-weighted regression that solves C-RLFT's KL-regularised objective in one supervised stage:
 *
 * <p>\( \mathcal{L}(\theta) = -\mathbb{E}_{(x, y, c)}\big[ r_c \log \pi_\theta(y \mid x_c) \big] \)
 *
 * <p>where \( x_c \) is the prompt with class \( c \)'s tag and \( r_c \) the class reward (the
 * paper uses 1 for expert and 0.1 for sub-optimal data). At inference the policy is prompted with
 * the best class's tag. A plain-text prompt gets the tag as a prefix; a conversation gets it in
 * front of its first user message (a system message holding the tag when there is none), so any
 * chat template carries it.
 *
 * <p>Reference: "OpenChat: Advancing Open-source Language Models with Mixed-Quality Data",
 * arXiv:2309.11235.
 *
 * @param classField the row field naming each example's class ({@link #format()})
 * @param classes class name to its tag and reward, at least one class
 */
public record ClassConditioning(String classField, Map<String, ClassCondition> classes) {
    /**
     * One class.
     *
     * @param tag the text that conditions the prompt (e.g. {@code "GPT4 Correct "}), non-empty
     * @param reward the class's coarse-grained reward, the examples' weight, finite and {@code >=
     *     0}
     */
    public record ClassCondition(String tag, double reward) {
        /** Validates the fields. */
        public ClassCondition {
            Checks.argument(
                    tag != null && !tag.isEmpty(),
                    () -> "ClassCondition: tag (" + tag + ") must be non-empty");
            Checks.argument(
                    Double.isFinite(reward) && reward >= 0,
                    () ->
                            "ClassCondition: reward ("
                                    + reward
                                    + ") of tag '"
                                    + tag
                                    + "'; expected a finite value >= 0");
        }
    }

    /** Validates the fields and copies the class map (keeping its order). */
    public ClassConditioning {
        Checks.argument(
                classField != null && !classField.isBlank(),
                () -> "ClassConditioning: classField (" + classField + ") must be non-blank");
        Objects.requireNonNull(classes, "ClassConditioning: classes");
        Checks.argument(
                !classes.isEmpty(), "ClassConditioning: classes is empty; expected >= 1 class");
        classes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        List<String> tags = new ArrayList<>();
        for (ClassCondition c : classes.values()) {
            Checks.argument(
                    !tags.contains(c.tag()),
                    () ->
                            "ClassConditioning: tag '"
                                    + c.tag()
                                    + "' is used by two classes; expected one tag per class");
            tags.add(c.tag());
        }
    }

    /**
     * The class of {@code name}.
     *
     * @throws IllegalArgumentException for an unknown class, listing the known ones
     */
    public ClassCondition of(String name) {
        ClassCondition c = classes.get(name);
        Checks.argument(
                c != null,
                () ->
                        "ClassConditioning: unknown class '"
                                + name
                                + "'; expected one of "
                                + classes.keySet());
        return c;
    }

    /** {@code prompt} conditioned on {@code tag}. */
    public static Text condition(Text prompt, String tag) {
        if (prompt instanceof PlainText p) {
            return new PlainText(tag + p.text());
        }
        List<Message> messages = new ArrayList<>(((Conversation) prompt).messages());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role().equals("user")) {
                messages.set(i, new Message("user", tag + m.content()));
                return new Conversation(messages);
            }
        }
        messages.add(0, new Message("system", tag));
        return new Conversation(messages);
    }

    /**
     * The conditioned, weighted example of one (prompt, response) of class {@code className}.
     *
     * @throws IllegalArgumentException for an unknown class
     */
    public WeightedExample example(
            String id, Text prompt, Text response, String className, Source source) {
        ClassCondition c = of(className);
        return new WeightedExample(id, condition(prompt, c.tag()), response, c.reward(), source);
    }

    /**
     * Reads rows {@code {"prompt", "completion" (or "response"), <classField>, optional "id"}},
     * prompt and completion as strings or {@code {role, content}} message lists; an unknown class
     * is an error naming file, line, field and the known classes.
     */
    public Format<WeightedExample> format() {
        return (row, out) -> {
            String responseField = row.has("completion") ? "completion" : "response";
            JsonNode cls = row.find(classField);
            if (cls == null || !(cls.isTextual() || cls.isNumber())) {
                throw row.error(
                        classField,
                        cls == null ? "missing" : "is not a string",
                        "one of the classes " + classes.keySet());
            }
            if (!classes.containsKey(cls.asText())) {
                throw row.error(
                        classField,
                        "is '" + cls.asText() + "'",
                        "one of the classes " + classes.keySet());
            }
            out.accept(
                    example(
                            row.id("id"),
                            row.text("prompt"),
                            row.text(responseField),
                            cls.asText(),
                            row.source()));
        };
    }
}
