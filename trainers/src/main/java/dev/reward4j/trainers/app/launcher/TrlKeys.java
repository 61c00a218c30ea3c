package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.reward4j.trainers.config.ConfigException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * TRL's (and transformers' {@code TrainingArguments}) names as exact aliases of reward4j's
 * sectioned keys, so a TRL configuration carries over: a flat top-level {@code learning_rate: 1e-5}
 * (or {@code --set learning_rate=1e-5}) means {@code optim: {lr: 1e-5}}. The sectioned keys are the
 * primary names (they are what {@code run.json} and the checkpoints record); the aliases are
 * translated here, at the launcher's parsing edge, before the configuration is resolved.
 *
 * <p>A key given twice, by an alias and its target or by two aliases of one target, is an error.
 * Values are translated where TRL's differ: {@code lr_scheduler_type: constant_with_warmup} is
 * {@code schedule.type: constant}; {@code loss_type: sigmoid} is {@code objective.type: dpo} and
 * {@code robust} is {@code rdpo} (TRL's other loss names are reward4j's names), a list of loss
 * types is {@code objective: {type: combined, loss_type: [...]}}; {@code max_steps: -1} (TRL's "not
 * set") is dropped; {@code report_to: tensorboard} is a one-element list ({@code all} means
 * TensorBoard, the one writer reward4j has; {@code none} the empty list).
 */
final class TrlKeys {
    private TrlKeys() {}

    /** TRL name to reward4j key ({@code section.key}). */
    static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put("learning_rate", "optim.lr");
        ALIASES.put("per_device_train_batch_size", "data.batch_size");
        ALIASES.put("per_device_eval_batch_size", "data.eval_batch_size");
        ALIASES.put("gradient_accumulation_steps", "train.micro_steps");
        ALIASES.put("num_train_epochs", "train.epochs");
        ALIASES.put("max_steps", "train.max_steps");
        ALIASES.put("warmup_ratio", "schedule.warmup_ratio");
        ALIASES.put("warmup_steps", "schedule.warmup_steps");
        ALIASES.put("lr_scheduler_type", "schedule.type");
        ALIASES.put("logging_steps", "train.log_every");
        ALIASES.put("eval_steps", "train.eval_every");
        ALIASES.put("save_steps", "checkpoint.every");
        ALIASES.put("save_total_limit", "checkpoint.keep_last");
        ALIASES.put("center_rewards_coefficient", "objective.centering_coefficient");
        ALIASES.put("beta", "objective.beta");
        ALIASES.put("loss_type", "objective.type");
        ALIASES.put("loss_weights", "objective.loss_weights");
        ALIASES.put("max_length", "data.max_length");
        ALIASES.put("max_prompt_length", "data.max_prompt_length");
        ALIASES.put("seed", "train.seed");
        ALIASES.put("output_dir", "train.output_dir");
        ALIASES.put("run_name", "train.run_name");
        ALIASES.put("report_to", "train.report_to");
        ALIASES.put("weight_decay", "optim.weight_decay");
        ALIASES.put("max_grad_norm", "optim.max_grad_norm");
        ALIASES.put("adam_beta1", "optim.beta1");
        ALIASES.put("adam_beta2", "optim.beta2");
        ALIASES.put("adam_epsilon", "optim.eps");
        ALIASES.put("model_name_or_path", "model.path");
    }

    /** {@code lr_scheduler_type} values and the {@code schedule.type} each means. */
    static final Map<String, String> SCHEDULERS =
            Map.of(
                    "linear", "linear",
                    "cosine", "cosine",
                    "constant", "constant",
                    "constant_with_warmup", "constant");

    /** TRL {@code loss_type} values whose reward4j type has another name. */
    static final Map<String, String> LOSS_TYPES = Map.of("sigmoid", "dpo", "robust", "rdpo");

    /** The sections of a reward4j configuration. */
    static final Set<String> SECTIONS =
            new TreeSet<>(
                    Set.of(
                            "model",
                            "data",
                            "objective",
                            "optim",
                            "schedule",
                            "train",
                            "checkpoint",
                            "curriculum",
                            "relabel",
                            "diagnostics"));

    /**
     * Rewrites the flat TRL keys of {@code user} (the file's top level) into their sections, in
     * place; {@code source} names the file in messages.
     */
    static ObjectNode normalize(ObjectNode user, String source) {
        List<String> names = new ArrayList<>();
        user.fieldNames().forEachRemaining(names::add);
        Map<String, String> given = new LinkedHashMap<>(); // target -> the name that set it
        for (String name : names) {
            if (SECTIONS.contains(name)) {
                continue;
            }
            String target = ALIASES.get(name);
            if (target == null) {
                throw new ConfigException(
                        name
                                + ": unknown key in "
                                + source
                                + "; expected a section "
                                + SECTIONS
                                + " or one of the TRL names reward4j accepts "
                                + ALIASES.keySet());
            }
            JsonNode value = user.remove(name);
            for (Map.Entry<String, JsonNode> t : translate(name, value).entrySet()) {
                String[] key = t.getKey().split("\\.");
                JsonNode section = user.get(key[0]);
                if (section != null && !section.isObject()) {
                    continue; // the loader reports a section that is not a mapping
                }
                ObjectNode sec = section == null ? user.putObject(key[0]) : (ObjectNode) section;
                String previous = given.get(t.getKey());
                if (sec.has(key[1]) || previous != null) {
                    throw new ConfigException(
                            name
                                    + ": given twice in "
                                    + source
                                    + ", as "
                                    + name
                                    + " (TRL's name of "
                                    + t.getKey()
                                    + ") and as "
                                    + (previous != null ? previous : t.getKey())
                                    + "; expected one of them");
                }
                if (t.getValue() != null) {
                    sec.set(key[1], t.getValue());
                }
                given.put(t.getKey(), name);
            }
        }
        return user;
    }

    /**
     * An override {@code key=value} with a TRL key rewritten to its sectioned key and value (the
     * value is parsed as YAML first); other overrides are returned as they are.
     */
    static List<String> overrides(List<String> sets) {
        List<String> out = new ArrayList<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            String name = eq > 0 ? s.substring(0, eq).trim() : s;
            if (eq <= 0 || !ALIASES.containsKey(name)) {
                out.add(s);
                continue;
            }
            JsonNode value;
            try {
                value =
                        new com.fasterxml.jackson.databind.ObjectMapper(
                                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                                .readTree(s.substring(eq + 1));
            } catch (java.io.IOException e) {
                throw new ConfigException(
                        name
                                + ": cannot parse the --set value '"
                                + s.substring(eq + 1)
                                + "'; expected a YAML value",
                        e);
            }
            for (Map.Entry<String, JsonNode> t : translate(name, value).entrySet()) {
                if (t.getValue() != null) {
                    out.add(t.getKey() + "=" + t.getValue().toString());
                }
            }
        }
        return out;
    }

    /**
     * The sectioned keys and values one TRL key means (a null value: the key is dropped, as TRL's
     * {@code max_steps: -1}).
     */
    static Map<String, JsonNode> translate(String name, JsonNode value) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String target = ALIASES.get(name);
        switch (name) {
            case "lr_scheduler_type" -> {
                String v = value == null ? "" : value.asText();
                String type = SCHEDULERS.get(v);
                if (type == null) {
                    throw new ConfigException(
                            "lr_scheduler_type: '"
                                    + v
                                    + "' has no reward4j schedule; expected one of "
                                    + new TreeSet<>(SCHEDULERS.keySet()));
                }
                out.put(target, TextNode.valueOf(type));
            }
            case "loss_type" -> {
                if (value != null && value.isArray()) {
                    out.put("objective.type", TextNode.valueOf("combined"));
                    out.put("objective.loss_type", value);
                } else {
                    String v = value == null ? "" : value.asText();
                    out.put(target, TextNode.valueOf(LOSS_TYPES.getOrDefault(v, v)));
                }
            }
            case "max_steps" -> out.put(target, value != null && value.asLong() < 0 ? null : value);
            case "report_to" -> {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                List<JsonNode> items = new ArrayList<>();
                if (value != null && value.isArray()) {
                    value.forEach(items::add);
                } else if (value != null && !value.isNull()) {
                    items.add(value);
                }
                for (JsonNode item : items) {
                    switch (item.asText()) {
                        case "none" -> {}
                        case "all" -> list.add("tensorboard");
                        default -> list.add(item.asText());
                    }
                }
                out.put(target, list);
            }
            default -> out.put(target, value);
        }
        return out;
    }

    /** The aliases as {@code name -> key} lines for help texts. */
    static String table() {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Map.Entry<String, String>> it = ALIASES.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            sb.append(String.format("  %-30s %s%n", e.getKey(), e.getValue()));
        }
        return sb.toString();
    }
}
