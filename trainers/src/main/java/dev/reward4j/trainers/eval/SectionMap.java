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
 * The RewardBench v1 rollup as data: section name to (subset name to weight), plus one weight per
 * section for the overall score. A section's score is the weighted mean of the accuracies of its
 * subsets present in the data, with the subset weights given here (officially the example counts of
 * {@code rewardbench/constants.py} {@code EXAMPLE_COUNTS}, including {@code math-prm} up-weighted
 * to 984 so that math and code weigh the same); the overall score is the weighted mean of the
 * sections present, with the section weights (default 1 each, so the overall is the plain mean of
 * the sections).
 *
 * <p>The {@link #official()} map has the four RewardBench sections (Chat, Chat Hard, Safety,
 * Reasoning, weight 2 each) and the leaderboard's {@code Prior Sets} section (weight 1): the
 * unweighted mean of {@code anthropic_helpful}, {@code anthropic_hhh}, {@code shp} and {@code
 * summarize} (the {@code allenai/pref-test-sets} subsets of RewardBench's {@code
 * analysis/get_benchmark_results.py}, which averages the five columns with weights {@code [2, 2, 2,
 * 2, 1]} and leaves missing ones out). Without prior-set rows the overall is the mean of the four
 * sections, as {@code scripts/run_rm.py} reports it.
 *
 * <p>File format: {@code {"Chat": {"alpacaeval-easy": 100, ...}, "Chat Hard": {...}, ...}} (every
 * section weight 1), or {@code {"sections": {"Chat": {...}, ...}, "section_weights": {"Chat": 2,
 * ...}}} (a section without a weight gets 1). A subset may belong to at most one section; weights
 * must be finite and {@code > 0}.
 *
 * @param sections section name to (subset name to weight), in rollup order
 * @param sectionWeights section name to its weight in the overall score (every section has one)
 */
public record SectionMap(
        Map<String, Map<String, Double>> sections, Map<String, Double> sectionWeights) {
    private static final String OFFICIAL =
            "/dev/reward4j/trainers/eval/rewardbench-v1-sections.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates (weights > 0, each subset in one section, section weights only for known sections),
     * fills missing section weights with 1 and copies preserving order.
     */
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
        Map<String, Double> given = sectionWeights == null ? Map.of() : sectionWeights;
        given.forEach(
                (section, w) -> {
                    Checks.argument(
                            copy.containsKey(section),
                            () ->
                                    "section map: section weight for '"
                                            + section
                                            + "' but there is no such section; expected one of "
                                            + copy.keySet());
                    Checks.argument(
                            w != null && Double.isFinite(w) && w > 0,
                            () ->
                                    "section map: weight of section '"
                                            + section
                                            + "' must be finite and > 0 (got "
                                            + w
                                            + ")");
                });
        Map<String, Double> weights = new LinkedHashMap<>();
        copy.keySet().forEach(section -> weights.put(section, given.getOrDefault(section, 1.0)));
        sections = Collections.unmodifiableMap(copy);
        sectionWeights = Collections.unmodifiableMap(weights);
    }

    /** A map whose sections all weigh 1 in the overall score (the overall is their mean). */
    public SectionMap(Map<String, Map<String, Double>> sections) {
        this(sections, Map.of());
    }

    /**
     * The official RewardBench v1 section map (Chat, Chat Hard, Safety, Reasoning with weight 2
     * each, Prior Sets with weight 1), shipped as a resource.
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
        if (isWeightedShape(root)) {
            Map<String, Double> weights = new LinkedHashMap<>();
            JsonNode w = root.get("section_weights");
            if (w != null) {
                Checks.argument(
                        w.isObject(),
                        () ->
                                "section map: "
                                        + where
                                        + " field 'section_weights' must be an object {section:"
                                        + " weight}");
                weights.putAll(numbers(w, where, "section_weights"));
            }
            return new SectionMap(subsetMaps(root.get("sections"), where, "sections."), weights);
        }
        return new SectionMap(subsetMaps(root, where, ""));
    }

    /**
     * True for {@code {"sections": {section: {subset: weight}}, "section_weights": {...}}}: only
     * those two keys, and {@code sections} maps to objects (in the plain shape a section maps to
     * numbers).
     */
    private static boolean isWeightedShape(JsonNode root) {
        JsonNode sections = root.get("sections");
        if (sections == null || !sections.isObject() || sections.isEmpty()) {
            return false;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("sections") && !key.equals("section_weights")) {
                return false;
            }
        }
        for (JsonNode s : sections) {
            if (!s.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Map<String, Double>> subsetMaps(
            JsonNode node, String where, String prefix) {
        Map<String, Map<String, Double>> sections = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            Checks.argument(
                    s.getValue().isObject(),
                    () ->
                            "section map: "
                                    + where
                                    + " field '"
                                    + prefix
                                    + s.getKey()
                                    + "' must be an object {subset: weight}");
            sections.put(s.getKey(), numbers(s.getValue(), where, prefix + s.getKey()));
        }
        return sections;
    }

    private static Map<String, Double> numbers(JsonNode node, String where, String field) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> jt = node.fields(); jt.hasNext(); ) {
            Map.Entry<String, JsonNode> w = jt.next();
            Checks.argument(
                    w.getValue().isNumber(),
                    () ->
                            "section map: "
                                    + where
                                    + " field '"
                                    + field
                                    + "."
                                    + w.getKey()
                                    + "' must be a number (got "
                                    + w.getValue()
                                    + ")");
            out.put(w.getKey(), w.getValue().doubleValue());
        }
        return out;
    }

    /** The section containing {@code subset}, if any. */
    public Optional<String> sectionOf(String subset) {
        return sections.entrySet().stream()
                .filter(e -> e.getValue().containsKey(subset))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
