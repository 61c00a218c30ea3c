package dev.reward4j.trainers.config;

import dev.reward4j.core.transform.ClassConditioning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of objective {@code c-rlft}: class-conditioned supervised fine-tuning (C-RLFT). Each row
 * of {@code data.format: class-labeled} ({@code prompt}, {@code completion} or {@code response},
 * and the class in {@code class_field}) gets its class's tag in front of the prompt and its class's
 * reward as weight; the policy is trained by weighted NLL on the responses (see {@link
 * ClassConditioning}).
 *
 * @param classField the row field naming the class
 * @param classes the classes (at least one), each with its name, tag and reward
 */
public record ClassConditionedParams(String classField, List<ClassEntry> classes) {
    /**
     * One class.
     *
     * @param name the value of the class field
     * @param tag the text that conditions the prompt
     * @param reward the class's coarse-grained reward (the examples' weight), {@code >= 0}
     */
    public record ClassEntry(String name, String tag, double reward) {
        /** Validates the values. */
        public ClassEntry {
            Require.present(name, "classes.name", "name the class");
            if (tag == null || tag.isEmpty()) {
                throw new IllegalArgumentException(
                        "classes.tag: required (got nothing) for class '" + name + "'");
            }
            Require.nonNegative(reward, "classes.reward");
        }
    }

    /** Validates the values (class names unique, tags distinct). */
    public ClassConditionedParams {
        Require.present(classField, "class_field", "name the row field holding the class");
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException(
                    "classes: expected at least one {name, tag, reward} (got none)");
        }
        classes = List.copyOf(classes);
        try {
            conditioning(classField, classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("classes: " + e.getMessage(), e);
        }
        if (classes.stream().map(ClassEntry::name).distinct().count() != classes.size()) {
            throw new IllegalArgumentException(
                    "classes: expected distinct class names (got "
                            + classes.stream().map(ClassEntry::name).toList()
                            + ")");
        }
    }

    /**
     * Class field {@code class}; classes {@code expert} (tag {@code "<expert> "}, reward 1) and
     * {@code suboptimal} (tag {@code "<suboptimal> "}, reward 0.1), the paper's rewards for expert
     * and sub-optimal data.
     */
    public static ClassConditionedParams defaults() {
        return new ClassConditionedParams(
                "class",
                List.of(
                        new ClassEntry("expert", "<expert> ", 1.0),
                        new ClassEntry("suboptimal", "<suboptimal> ", 0.1)));
    }

    /** The transform. */
    public ClassConditioning transform() {
        return conditioning(classField, classes);
    }

    private static ClassConditioning conditioning(String field, List<ClassEntry> classes) {
        Map<String, ClassConditioning.ClassCondition> m = new LinkedHashMap<>();
        for (ClassEntry c : classes) {
            m.put(c.name(), new ClassConditioning.ClassCondition(c.tag(), c.reward()));
        }
        return new ClassConditioning(field, m);
    }
}
