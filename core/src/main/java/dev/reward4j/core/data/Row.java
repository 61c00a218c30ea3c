package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One input row (a JSONL line or a Parquet row converted to JSON) with typed accessors that throw
 * {@link DataFormatException} naming file, line, field and expectation. Field names may be dotted
 * paths ({@code "meta.score"}).
 */
public final class Row {
    private final JsonNode node;
    private final Source source;
    private final DataCounters counters;

    /**
     * Wraps a parsed row.
     *
     * @param node the row (a JSON object)
     * @param source file and line
     * @param counters where {@link #skip(String)} counts
     */
    public Row(JsonNode node, Source source, DataCounters counters) {
        this.node = Objects.requireNonNull(node, "node");
        this.source = Objects.requireNonNull(source, "source");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The raw JSON. */
    public JsonNode json() {
        return node;
    }

    /** File and line. */
    public Source source() {
        return source;
    }

    /**
     * Counts this row (or one example of it) as skipped by definition (e.g. a tie), with a reason.
     */
    public void skip(String reason) {
        counters.skipped(source.toString(), reason);
    }

    /** Counts one example of this row as invalid (e.g. chosen equal to rejected). */
    public void invalid(String reason) {
        counters.invalid(source.toString(), reason);
    }

    /**
     * Counts this row as left out by the split selector (read, but not part of this file's data).
     */
    public void filtered() {
        counters.filtered();
    }

    /** Counts this row's prompt as taken from its conversations instead of its prompt field. */
    public void promptExtracted() {
        counters.promptExtracted();
    }

    /** Counts one completion of this row as dropped (the row itself is still read). */
    public void completionDropped(String reason) {
        counters.completionDropped(source.toString(), reason);
    }

    /** A {@link DataFormatException} for {@code field}. */
    public DataFormatException error(String field, String problem, String expected) {
        return new DataFormatException(source, field, problem, expected);
    }

    /** The field's node, or null when absent or JSON null. */
    public JsonNode find(String field) {
        JsonNode n = node;
        int start = 0;
        while (n != null) {
            int dot = field.indexOf('.', start);
            String part = dot < 0 ? field.substring(start) : field.substring(start, dot);
            n = n.get(part);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return n == null || n.isNull() ? null : n;
    }

    /** True when the field is present and not null. */
    public boolean has(String field) {
        return find(field) != null;
    }

    /** The field, which must be present. */
    public JsonNode require(String field) {
        JsonNode n = find(field);
        if (n == null) {
            throw error(field, "missing", "a value (available fields: " + fieldNames() + ")");
        }
        return n;
    }

    private List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A required string field. */
    public String string(String field) {
        JsonNode n = require(field);
        if (!n.isTextual()) {
            throw error(field, "has type " + type(n), "a string");
        }
        return n.asText();
    }

    /** An optional string field. */
    public Optional<String> optString(String field) {
        return has(field) ? Optional.of(string(field)) : Optional.empty();
    }

    /**
     * A required number (a JSON number, or a string holding a number as in UltraFeedback ratings).
     */
    public double number(String field) {
        return number(field, require(field));
    }

    private double number(String field, JsonNode n) {
        double v;
        if (n.isNumber()) {
            v = n.asDouble();
        } else if (n.isTextual()) {
            try {
                v = Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                throw error(field, "is the string \"" + abbreviate(n.asText()) + "\"", "a number");
            }
        } else {
            throw error(field, "has type " + type(n), "a number");
        }
        if (!Double.isFinite(v)) {
            throw error(field, "is " + v, "a finite number");
        }
        return v;
    }

    /** An optional number. */
    public OptionalDouble optNumber(String field) {
        JsonNode n = find(field);
        return n == null ? OptionalDouble.empty() : OptionalDouble.of(number(field, n));
    }

    /** A required boolean (JSON true/false). */
    public boolean bool(String field) {
        JsonNode n = require(field);
        if (!n.isBoolean()) {
            throw error(field, "has type " + type(n), "true or false");
        }
        return n.asBoolean();
    }

    /** A required array with at least {@code minSize} elements. */
    public JsonNode array(String field, int minSize) {
        JsonNode n = require(field);
        if (!n.isArray()) {
            throw error(field, "has type " + type(n), "an array");
        }
        if (n.size() < minSize) {
            throw error(field, "has " + n.size() + " elements", "at least " + minSize);
        }
        return n;
    }

    /** The {@code id} field as text when present (string or number), else {@code file:line}. */
    public String id(String field) {
        JsonNode n = find(field);
        if (n == null) {
            return source.toString();
        }
        if (n.isTextual() || n.isNumber()) {
            return n.asText();
        }
        throw error(field, "has type " + type(n), "a string or number id");
    }

    /**
     * A required text field: a string becomes {@link PlainText}; an array of {@code
     * {"role","content"}} objects becomes a {@link Conversation}.
     */
    public Text text(String field) {
        return text(field, require(field));
    }

    /**
     * Converts a node already fetched from {@code field} (e.g. an array element) to {@link Text}.
     */
    public Text text(String field, JsonNode n) {
        if (n.isTextual()) {
            return new PlainText(n.asText());
        }
        if (n.isArray()) {
            return new Conversation(messages(field, n));
        }
        throw error(
                field,
                "has type " + type(n),
                "a string or a list of {\"role\", \"content\"} messages");
    }

    /** A list of messages. */
    public List<Message> messages(String field, JsonNode n) {
        List<Message> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode m = n.get(i);
            String f = field + "[" + i + "]";
            if (m == null || !m.isObject()) {
                throw error(f, "has type " + type(m), "a {\"role\", \"content\"} message object");
            }
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual()) {
                throw error(
                        f + ".role",
                        role == null ? "missing" : "has type " + type(role),
                        "a string role");
            }
            if (content == null || !content.isTextual()) {
                throw error(
                        f + ".content",
                        content == null ? "missing" : "has type " + type(content),
                        "a string content");
            }
            out.add(new Message(role.asText(), content.asText()));
        }
        return out;
    }

    static String type(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT -> "object";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
