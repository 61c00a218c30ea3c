package dev.reward4j.trainers.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * An {@link ObjectiveCatalog} over validated parameter records: each type name maps to a defaults
 * instance of a record whose components are the objective's keys; a parsed record is wrapped into
 * an {@link ObjectiveConfig}.
 */
public final class RecordCatalog implements ObjectiveCatalog {
    private final Map<String, Record> defaults;
    private final BiFunction<String, Record, ObjectiveConfig> wrap;

    /**
     * Creates the catalog.
     *
     * @param defaults type name to the defaults record of that type
     * @param wrap builds the typed config from the type name and the parsed record
     */
    public RecordCatalog(
            Map<String, ? extends Record> defaults,
            BiFunction<String, Record, ObjectiveConfig> wrap) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        this.wrap = wrap;
    }

    @Override
    public Set<String> types() {
        return new TreeSet<>(defaults.keySet());
    }

    @Override
    public JsonNode defaults(String type, ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode().put("type", type);
        node.setAll((ObjectNode) mapper.valueToTree(defaults.get(type)));
        return node;
    }

    @Override
    public ObjectiveConfig parse(String type, JsonNode node, ObjectMapper mapper) {
        ObjectNode params = ((ObjectNode) node).deepCopy();
        params.remove("type");
        Class<? extends Record> cls = defaults.get(type).getClass();
        try {
            return wrap.apply(type, mapper.treeToValue(params, cls));
        } catch (ValueInstantiationException e) {
            // the record's compact constructor rejected a value: name the key it mentions
            String msg = e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage();
            return fail(cls, msg, e);
        } catch (JsonProcessingException e) {
            throw ConfigLoader.translate("objective", e);
        }
    }

    /**
     * The losses module's message shape: {@code <component>: <name> <what> (<actual>); expected
     * <rule>.}
     */
    private static final java.util.regex.Pattern LOSS_MESSAGE =
            java.util.regex.Pattern.compile(
                    "^[\\w+.-]+: (\\w+) [^(]*\\(([^)]*)\\); expected (.*?)\\.?$");

    private static ObjectiveConfig fail(Class<? extends Record> cls, String msg, Exception cause) {
        java.util.regex.Matcher m = msg == null ? null : LOSS_MESSAGE.matcher(msg);
        if (m != null && m.matches()) {
            String name = m.group(1);
            String snake = PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(name);
            String rule =
                    m.group(3)
                            .replaceFirst(
                                    "^" + java.util.regex.Pattern.quote(name) + " ", "a number ");
            rule = rule.replace(" " + name + " ", " " + snake + " ");
            String actual = m.group(2);
            try {
                actual = Require.fmt(Double.parseDouble(actual));
            } catch (NumberFormatException e) {
                // keep the text as it is
            }
            throw new ConfigException(
                    "objective." + snake + ": expected " + rule + " (got " + actual + ")", cause);
        }
        String key = null;
        for (RecordComponent c : cls.getRecordComponents()) {
            String snake =
                    PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName());
            if (msg != null && (msg.startsWith(snake + ":") || msg.startsWith(c.getName() + ":"))) {
                throw new ConfigException("objective." + msg, cause);
            }
            if (msg != null && (msg.contains(c.getName()) || msg.contains(snake)) && key == null) {
                key = snake;
            }
        }
        throw new ConfigException("objective" + (key == null ? "" : "." + key) + ": " + msg, cause);
    }
}
