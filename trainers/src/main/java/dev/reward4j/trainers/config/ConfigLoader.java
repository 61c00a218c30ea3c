package dev.reward4j.trainers.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML or JSON run configuration, applies {@code a.b=c} overrides, merges it over the
 * defaults and maps it to {@link RunConfig}. Every problem is a {@link ConfigException} whose
 * message starts with the key path:
 *
 * <ul>
 *   <li>unknown key: {@code optim.learning_rate: unknown key; expected one of [beta1, ...]}
 *   <li>wrong type: {@code train.max_steps: expected an integer (got 'many')}
 *   <li>impossible value: {@code objective.beta: expected a number > 0 (got -1)}
 * </ul>
 */
public final class ConfigLoader {
    private static final String DEFAULT_OBJECTIVE = "bt";

    private final ObjectiveCatalog catalog;
    private final ObjectMapper records;
    private final ObjectMapper yaml =
            new ObjectMapper(new YAMLFactory())
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A loader resolving objective types through {@code catalog}. */
    public ConfigLoader(ObjectiveCatalog catalog) {
        this.catalog = catalog;
        this.records =
                new ObjectMapper()
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /**
     * The mapper used for config records (snake_case keys); also used to write the resolved config.
     */
    public ObjectMapper mapper() {
        return records;
    }

    /**
     * Loads {@code file} (YAML, or JSON which YAML reads too) and applies {@code overrides} ({@code
     * a.b=c}).
     */
    public RunConfig load(Path file, List<String> overrides) {
        return resolve(read(file), overrides);
    }

    /**
     * Reads {@code file} (YAML, or JSON which YAML reads too) into a tree without resolving it. A
     * key given twice in one mapping is an error, and a value that cannot be parsed is named by its
     * key path and line.
     */
    public ObjectNode read(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(
                    "config: " + file + " is a directory; expected a YAML or JSON file");
        }
        if (!Files.exists(file)) {
            throw new ConfigException(
                    "config: " + file + " does not exist; expected a YAML or JSON file");
        }
        JsonNode user;
        try {
            user = yaml.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException(parseError(file.toString(), e), e);
        } catch (IOException e) {
            throw new ConfigException(
                    "config: cannot read "
                            + file
                            + " ("
                            + e.getMessage()
                            + "); expected a readable YAML or JSON file",
                    e);
        }
        if (user == null || user.isMissingNode() || user.isNull()) {
            user = JsonNodeFactory.instance.objectNode();
        }
        if (!user.isObject()) {
            throw new ConfigException(
                    "config: "
                            + file
                            + " holds a "
                            + user.getNodeType()
                            + "; expected a mapping of sections");
        }
        return (ObjectNode) user;
    }

    /**
     * A parse error of {@code source} as one line: the key path the parser was at, the line, and
     * what went wrong (a key given twice, a value that is not a number, ...).
     */
    static String parseError(String source, JsonProcessingException e) {
        String path = "";
        if (e.getProcessor() instanceof JsonParser p) {
            path = keyPath(p.getParsingContext());
        }
        String what = e.getOriginalMessage();
        String expected = "valid YAML or JSON";
        if (what != null && what.startsWith("Duplicate field")) {
            what = "given twice";
            expected = "each key once per mapping";
        } else if (what != null && what.contains("numeric value")) {
            expected = "a finite number (YAML .nan and .inf are not accepted)";
        }
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        return (path.isEmpty() ? "config" : path)
                + ": "
                + (what == null ? "cannot parse" : what.split("\n")[0])
                + " ("
                + source
                + (line > 0 ? " line " + line : "")
                + "); expected "
                + expected;
    }

    private static String keyPath(JsonStreamContext c) {
        List<String> parts = new ArrayList<>();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    /** Applies {@code overrides} to {@code user}, merges it over the defaults and maps it. */
    public RunConfig resolve(ObjectNode user, List<String> overrides) {
        for (String o : overrides) {
            applyOverride(user, o);
        }
        notBoth(user, "train", "epochs", "max_steps", "a number of steps or of epochs");
        if (user.path("schedule").path("warmup_steps").asDouble(0) > 0) {
            notBoth(
                    user,
                    "schedule",
                    "warmup_ratio",
                    "warmup_steps",
                    "a warm-up length in steps or as a ratio");
        }
        ObjectNode base = defaultsTree(user);
        merge(base, user, "");
        return map(base);
    }

    /** The resolved configuration as a tree (what a checkpoint stores). */
    public ObjectNode toTree(RunConfig config) {
        ObjectNode root = records.createObjectNode();
        root.set("model", records.valueToTree(config.model()));
        root.set("data", records.valueToTree(config.data()));
        root.set("objective", objectiveTree(config.objective()));
        root.set("optim", records.valueToTree(config.optim()));
        root.set("schedule", records.valueToTree(config.schedule()));
        root.set("train", records.valueToTree(config.train()));
        root.set("checkpoint", records.valueToTree(config.checkpoint()));
        root.set("curriculum", records.valueToTree(config.curriculum()));
        root.set("relabel", records.valueToTree(config.relabel()));
        root.set("diagnostics", records.valueToTree(config.diagnostics()));
        return root;
    }

    /** Both {@code section.a} and {@code section.b} set (not null) is an error. */
    private static void notBoth(ObjectNode user, String section, String a, String b, String what) {
        JsonNode s = user.path(section);
        if (s.hasNonNull(a) && s.hasNonNull(b)) {
            throw new ConfigException(
                    section
                            + "."
                            + a
                            + " and "
                            + section
                            + "."
                            + b
                            + ": both given ("
                            + s.get(a)
                            + ", "
                            + s.get(b)
                            + "); expected one of them: "
                            + what);
        }
    }

    /**
     * The {@code objective:} section of {@code objective}: {@code type} and the keys of its
     * parameter record.
     */
    public ObjectNode objectiveTree(ObjectiveConfig objective) {
        ObjectNode node = records.createObjectNode().put("type", objective.type());
        JsonNode params = records.valueToTree(objective.params());
        params.fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getKey().equals("type")) node.set(e.getKey(), e.getValue());
                        });
        return node;
    }

    /**
     * The resolved configuration as YAML, which {@link #load(Path, List)} reads back to an equal
     * {@link RunConfig}.
     */
    public String toYaml(RunConfig config) {
        try {
            return yaml.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config: cannot write YAML (" + e + ")", e);
        }
    }

    private ObjectNode defaultsTree(ObjectNode user) {
        ObjectNode base = records.createObjectNode();
        base.set("model", records.valueToTree(ModelSection.defaults()));
        base.set("data", records.valueToTree(DataSection.defaults()));
        JsonNode typeNode = user.path("objective").path("type");
        String type = typeNode.isMissingNode() ? DEFAULT_OBJECTIVE : typeNode.asText();
        if (!catalog.types().contains(type)) {
            throw new ConfigException(
                    "objective.type: unknown type '"
                            + type
                            + "'; expected one of "
                            + catalog.types());
        }
        base.set("objective", catalog.defaults(type, records));
        base.set("optim", records.valueToTree(OptimSection.defaults()));
        base.set("schedule", records.valueToTree(ScheduleSection.defaults()));
        base.set("train", records.valueToTree(TrainSection.defaults()));
        base.set("checkpoint", records.valueToTree(CheckpointSection.defaults()));
        base.set("curriculum", records.valueToTree(CurriculumSection.defaults()));
        base.set("relabel", records.valueToTree(RelabelSection.defaults()));
        base.set("diagnostics", records.valueToTree(DiagnosticsSection.defaults()));
        return base;
    }

    private void applyOverride(ObjectNode user, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set: expected key.path=value (got '" + override + "')");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value;
        try {
            value = yaml.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    override.substring(0, eq).trim()
                            + ": cannot parse the --set value '"
                            + override.substring(eq + 1)
                            + "' ("
                            + e.getOriginalMessage().split("\\n")[0]
                            + "); expected a YAML value",
                    e);
        }
        ObjectNode node = user;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(keys[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(
                keys[keys.length - 1],
                value == null || value.isMissingNode()
                        ? JsonNodeFactory.instance.nullNode()
                        : value);
    }

    /** Deep-merges {@code user} into {@code base}; a key absent from the defaults is unknown. */
    private static void merge(ObjectNode base, JsonNode user, String path) {
        Iterator<Map.Entry<String, JsonNode>> it = user.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode b = base.get(e.getKey());
            if (b == null) {
                List<String> known = new ArrayList<>();
                base.fieldNames().forEachRemaining(known::add);
                throw new ConfigException(
                        key
                                + ": unknown key; expected one of "
                                + known.stream().sorted().collect(Collectors.toList()));
            }
            if (b.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new ConfigException(
                            key + ": expected a mapping (got " + describe(e.getValue()) + ")");
                }
                merge((ObjectNode) b, e.getValue(), key);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private RunConfig map(ObjectNode tree) {
        ModelSection model = section(tree, "model", ModelSection.class);
        DataSection data = section(tree, "data", DataSection.class);
        String type = tree.path("objective").path("type").asText();
        ObjectiveConfig objective;
        try {
            objective = catalog.parse(type, tree.get("objective"), records);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("objective." + e.getMessage(), e);
        }
        OptimSection optim = section(tree, "optim", OptimSection.class);
        ScheduleSection schedule = section(tree, "schedule", ScheduleSection.class);
        TrainSection train = section(tree, "train", TrainSection.class);
        CheckpointSection checkpoint = section(tree, "checkpoint", CheckpointSection.class);
        CurriculumSection curriculum = section(tree, "curriculum", CurriculumSection.class);
        RelabelSection relabel = section(tree, "relabel", RelabelSection.class);
        DiagnosticsSection diagnostics = section(tree, "diagnostics", DiagnosticsSection.class);
        if (data.train() == null || data.train().isBlank()) {
            throw new ConfigException("data.train: required (got nothing); give the training file");
        }
        return new RunConfig(
                model,
                data,
                objective,
                optim,
                schedule,
                train,
                checkpoint,
                curriculum,
                relabel,
                diagnostics);
    }

    /** Maps one section, turning Jackson errors into path-prefixed messages. */
    public <T> T section(JsonNode tree, String name, Class<T> type) {
        try {
            return records.treeToValue(tree.get(name), type);
        } catch (JsonProcessingException e) {
            throw translate(name, e);
        }
    }

    /** Translates a Jackson mapping error under {@code prefix} into a {@link ConfigException}. */
    public static ConfigException translate(String prefix, JsonProcessingException e) {
        String path = prefix;
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path += "." + r.getFieldName();
                } else if (r.getIndex() >= 0) {
                    path += "[" + r.getIndex() + "]";
                }
            }
        }
        if (e instanceof ValueInstantiationException v
                && v.getCause() instanceof IllegalArgumentException c) {
            return new ConfigException(prefix + "." + c.getMessage(), c);
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(
                    path
                            + ": expected "
                            + expected(f.getTargetType())
                            + " (got '"
                            + f.getValue()
                            + "')",
                    e);
        }
        if (e instanceof MismatchedInputException m) {
            String what = m.getTargetType() == null ? "another type" : expected(m.getTargetType());
            return new ConfigException(
                    path
                            + ": expected "
                            + what
                            + " ("
                            + m.getOriginalMessage().split("\n")[0]
                            + ")",
                    e);
        }
        return new ConfigException(path + ": " + e.getOriginalMessage(), e);
    }

    private static String expected(Class<?> t) {
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a number";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "an integer";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        return "a " + t.getSimpleName();
    }

    private static String describe(JsonNode n) {
        return n.isValueNode()
                ? "'" + n.asText() + "'"
                : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
