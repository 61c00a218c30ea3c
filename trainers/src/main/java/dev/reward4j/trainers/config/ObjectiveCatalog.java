package dev.reward4j.trainers.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/**
 * Maps objective type names to their defaults and parses an {@code objective:} node into a typed
 * config.
 */
public interface ObjectiveCatalog {
    /** The known type names. */
    Set<String> types();

    /**
     * The defaults of {@code type} as a tree, including {@code type}; {@code mapper} uses the
     * config naming.
     */
    JsonNode defaults(String type, ObjectMapper mapper);

    /**
     * Parses a complete (defaults merged) objective node of {@code type}.
     *
     * @throws IllegalArgumentException with a message starting with the offending key (e.g. {@code
     *     beta: ...})
     */
    ObjectiveConfig parse(String type, JsonNode node, ObjectMapper mapper);
}
