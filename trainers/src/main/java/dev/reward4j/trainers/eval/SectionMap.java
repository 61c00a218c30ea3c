package dev.reward4j.trainers.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The RewardBench v1 rollup as data: section name to (subset name to weight). A section's score is
 * the weighted mean of the accuracies of its subsets present in the data, with the weights given
 * here (officially the example counts of {@code rewardbench/constants.py} {@code EXAMPLE_COUNTS},
 * including {@code math-prm} up-weighted to 984 so that math and code weigh the same).
 *
 * <p>File format: {@code {"Chat": {"alpacaeval-easy": 100, ...}, "Chat Hard": {...}, ...}}. A
 * subset may belong to at most one section; weights must be finite and {@code > 0}.
 */
public record SectionMap(Map<String, Map<String, Double>> sections) {
    private static final String OFFICIAL =
            "/dev/reward4j/trainers/eval/rewardbench-v1-sections.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates (weights > 0, each subset in one section) and copies preserving order. */
    public SectionMap {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        Map<String, String> owner = new HashMap<>();
        sections.forEach(
                (section, subsets) -> {
                    subsets.forEach(
                            (subset, w) -> {
                                Checks.argument(
                                        w != null && Double.isFinite(w) && w > 0,
                                        () ->
                                                "section map: weight of '"
                                                        + subset
                                                        + "' in section '"
                                                        + section
                                                        + "' must be finite and > 0 (got "
                                                        + w
                                                        + ")");
                                String previous = owner.put(subset, section);
                                Checks.argument(
                                        previous == null,
                                        () ->
                                                "section map: subset '"
                                                        + subset
                                                        + "' is in both '"
                                                        + previous
                                                        + "' and '"
                                                        + section
                                                        + "'; expected each subset in one section");
                            });
                    copy.put(section, Collections.unmodifiableMap(new LinkedHashMap<>(subsets)));
                });
        sections = Collections.unmodifiableMap(copy);
    }

    /**
     * The official RewardBench v1 section map (Chat, Chat Hard, Safety, Reasoning), shipped as a
     * resource.
     */
    public static SectionMap official() {
        try (InputStream in = SectionMap.class.getResourceAsStream(OFFICIAL)) {
            Checks.state(
                    in != null,
                    "section map: resource " + OFFICIAL + " is missing from the classpath");
            return parse(JSON.readTree(in), OFFICIAL);
        } catch (IOException e) {
            throw new UncheckedIOException("section map: cannot read " + OFFICIAL, e);
        }
    }

    /** Reads a section map file. */
    public static SectionMap load(Path file) {
        try {
            return parse(JSON.readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("section map: cannot read " + file, e);
        }
    }

    private static SectionMap parse(JsonNode root, String where) {
        Checks.argument(
                root != null && root.isObject(),
                () ->
                        "section map: "
                                + where
                                + " must be a JSON object {section: {subset: weight}}");
        Map<String, Map<String, Double>> sections = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            Checks.argument(
                    s.getValue().isObject(),
                    () ->
                            "section map: "
                                    + where
                                    + " field '"
                                    + s.getKey()
                                    + "' must be an object {subset: weight}");
            Map<String, Double> subsets = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> jt = s.getValue().fields(); jt.hasNext(); ) {
                Map.Entry<String, JsonNode> w = jt.next();
                Checks.argument(
                        w.getValue().isNumber(),
                        () ->
                                "section map: "
                                        + where
                                        + " field '"
                                        + s.getKey()
                                        + "."
                                        + w.getKey()
                                        + "' must be a number (got "
                                        + w.getValue()
                                        + ")");
                subsets.put(w.getKey(), w.getValue().doubleValue());
            }
            sections.put(s.getKey(), subsets);
        }
        return new SectionMap(sections);
    }

    /** The section containing {@code subset}, if any. */
    public Optional<String> sectionOf(String subset) {
        return sections.entrySet().stream()
                .filter(e -> e.getValue().containsKey(subset))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
