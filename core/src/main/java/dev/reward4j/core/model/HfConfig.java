package dev.reward4j.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes HF {@code config.json} files for {@link ModelConfig}. */
final class HfConfig {
    static final ObjectMapper JSON = new ObjectMapper();

    private HfConfig() {}

    static ModelConfig parse(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "model config: invalid JSON in "
                            + file
                            + " (line "
                            + e.getLocation().getLineNr()
                            + "): "
                            + e.getOriginalMessage(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "model config: " + file + " is not a JSON object; expected an HF config.json");
        }
        Fields f = new Fields(root, file);
        Architecture arch =
                Architecture.fromModelType(f.requiredText("model_type"), file.toString());
        try {
            return arch == Architecture.GPT2 ? gpt2(f, arch, text) : rotary(f, arch, text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException("model config: " + file + ": " + e.getMessage(), e);
        }
    }

    private static ModelConfig gpt2(Fields f, Architecture arch, String text) {
        int hidden = f.positiveInt("n_embd");
        int heads = f.positiveInt("n_head");
        if (f.bool("scale_attn_by_inverse_layer_idx", false)) {
            throw f.unsupported("scale_attn_by_inverse_layer_idx", "true", "false");
        }
        if (!f.bool("scale_attn_weights", true)) {
            throw f.unsupported("scale_attn_weights", "false", "true");
        }
        return new ModelConfig(
                arch,
                f.requiredInt("vocab_size"),
                hidden,
                f.optInt("n_inner", 4 * hidden),
                f.requiredInt("n_layer"),
                heads,
                heads,
                hidden / heads,
                f.optInt("n_positions", 1024),
                f.dbl("layer_norm_epsilon", 1e-5),
                Activation.fromHf(
                        f.text("activation_function", "gelu_new"), f.where("activation_function")),
                10000.0,
                RopeScaling.NONE,
                true,
                true,
                true,
                f.bool("tie_word_embeddings", true),
                0,
                f.dbl("initializer_range", 0.02),
                f.optInt("pad_token_id", -1),
                f.optInt("bos_token_id", -1),
                f.firstInt("eos_token_id"),
                numLabels(f),
                text);
    }

    private static ModelConfig rotary(Fields f, Architecture arch, String text) {
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = f.optInt("num_key_value_heads", heads);
        boolean attnBias = f.bool("attention_bias", false);
        boolean qwen = arch == Architecture.QWEN2;
        JsonNode params = f.node("rope_parameters");
        JsonNode scalingNode =
                params != null && params.isObject() ? params : f.node("rope_scaling");
        double theta =
                params != null && params.has("rope_theta")
                        ? params.get("rope_theta").asDouble()
                        : f.dbl("rope_theta", 10000.0);
        double partial =
                params != null && params.has("partial_rotary_factor")
                        ? params.get("partial_rotary_factor").asDouble()
                        : f.dbl("partial_rotary_factor", 1.0);
        if (partial != 1.0) {
            throw f.unsupported("partial_rotary_factor", String.valueOf(partial), "1.0");
        }
        int window = 0;
        boolean useWindow = qwen ? f.bool("use_sliding_window", false) : true;
        if (useWindow && f.node("sliding_window") != null && f.node("sliding_window").isNumber()) {
            window = f.node("sliding_window").asInt();
        }
        return new ModelConfig(
                arch,
                f.requiredInt("vocab_size"),
                hidden,
                f.requiredInt("intermediate_size"),
                f.requiredInt("num_hidden_layers"),
                heads,
                kvHeads,
                f.optInt("head_dim", hidden / heads),
                f.optInt("max_position_embeddings", 2048),
                f.dbl("rms_norm_eps", 1e-6),
                Activation.fromHf(f.text("hidden_act", "silu"), f.where("hidden_act")),
                theta,
                ropeScaling(scalingNode, f),
                qwen || attnBias,
                attnBias,
                f.bool("mlp_bias", false),
                f.bool("tie_word_embeddings", qwen),
                window,
                f.dbl("initializer_range", 0.02),
                f.optInt("pad_token_id", -1),
                f.optInt("bos_token_id", -1),
                f.firstInt("eos_token_id"),
                numLabels(f),
                text);
    }

    private static int numLabels(Fields f) {
        if (f.node("num_labels") != null) {
            return f.requiredInt("num_labels");
        }
        JsonNode id2label = f.node("id2label");
        return id2label != null && id2label.isObject() && id2label.size() > 0 ? id2label.size() : 1;
    }

    private static RopeScaling ropeScaling(JsonNode node, Fields f) {
        if (node == null || node.isNull()) {
            return RopeScaling.NONE;
        }
        String type =
                node.has("rope_type")
                        ? node.get("rope_type").asText()
                        : node.path("type").asText("default");
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return new RopeScaling.Linear(node.path("factor").asDouble(1.0));
            case "llama3":
                return new RopeScaling.Llama3(
                        required(node, "factor", f).asDouble(),
                        required(node, "low_freq_factor", f).asDouble(),
                        required(node, "high_freq_factor", f).asDouble(),
                        required(node, "original_max_position_embeddings", f).asInt());
            default:
                throw f.unsupported("rope_type", type, "default, linear, llama3");
        }
    }

    private static JsonNode required(JsonNode node, String key, Fields f) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(
                    "model config: missing or non-numeric rope parameter "
                            + key
                            + " ("
                            + v
                            + ") in "
                            + f.file
                            + "; expected a number for llama3 rope scaling");
        }
        return v;
    }

    /**
     * The config JSON to save next to the weights: the source config with the model's fields and
     * head set.
     */
    static ObjectNode toJson(ModelConfig c, ModelHead head) throws IOException {
        ObjectNode o =
                c.sourceJson().isEmpty()
                        ? JSON.createObjectNode()
                        : (ObjectNode) JSON.readTree(c.sourceJson());
        Architecture a = c.architecture();
        String cls =
                head instanceof ModelHead.Reward
                        ? a.sequenceClassificationClass()
                        : a.causalLmClass();
        o.putArray("architectures").add(cls);
        o.put("model_type", a.modelType());
        o.put("vocab_size", c.vocabSize());
        if (a == Architecture.GPT2) {
            o.put("n_embd", c.hiddenSize());
            o.put("n_head", c.numHeads());
            o.put("n_layer", c.numLayers());
            o.put("n_positions", c.maxPositions());
            if (c.intermediateSize() == 4 * c.hiddenSize()) {
                o.putNull("n_inner");
            } else {
                o.put("n_inner", c.intermediateSize());
            }
            o.put("layer_norm_epsilon", c.normEps());
            o.put("activation_function", c.activation().hfName());
        } else {
            o.put("hidden_size", c.hiddenSize());
            o.put("intermediate_size", c.intermediateSize());
            o.put("num_hidden_layers", c.numLayers());
            o.put("num_attention_heads", c.numHeads());
            o.put("num_key_value_heads", c.numKvHeads());
            o.put("head_dim", c.headDim());
            o.put("max_position_embeddings", c.maxPositions());
            o.put("rms_norm_eps", c.normEps());
            o.put("hidden_act", c.activation().hfName());
            if (a != Architecture.QWEN2) {
                o.put("attention_bias", c.qkvBias());
            }
            if (a == Architecture.LLAMA) {
                o.put("mlp_bias", c.mlpBias());
            }
            ObjectNode rope = o.putObject("rope_parameters");
            rope.put("rope_theta", c.ropeTheta());
            rope.put("rope_type", c.ropeScaling().ropeType());
            if (c.ropeScaling() instanceof RopeScaling.Linear l) {
                rope.put("factor", l.factor());
            } else if (c.ropeScaling() instanceof RopeScaling.Llama3 l3) {
                rope.put("factor", l3.factor());
                rope.put("low_freq_factor", l3.lowFreqFactor());
                rope.put("high_freq_factor", l3.highFreqFactor());
                rope.put("original_max_position_embeddings", l3.originalMaxPositions());
            }
            o.put("rope_theta", c.ropeTheta());
            o.remove("rope_scaling");
            if (c.slidingWindow() > 0) {
                o.put("sliding_window", c.slidingWindow());
                if (a == Architecture.QWEN2) {
                    o.put("use_sliding_window", true);
                }
            } else if (a != Architecture.LLAMA) {
                o.putNull("sliding_window");
                if (a == Architecture.QWEN2) {
                    o.put("use_sliding_window", false);
                }
            }
        }
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        o.put("initializer_range", c.initializerRange());
        putId(o, "pad_token_id", c.padTokenId());
        putId(o, "bos_token_id", c.bosTokenId());
        if (!o.has("eos_token_id") || !o.get("eos_token_id").isArray()) {
            putId(o, "eos_token_id", c.eosTokenId());
        }
        if (head instanceof ModelHead.Reward r) {
            o.put("num_labels", r.numLabels());
            ObjectNode id2label = o.putObject("id2label");
            ObjectNode label2id = o.putObject("label2id");
            for (int i = 0; i < r.numLabels(); i++) {
                id2label.put(String.valueOf(i), "LABEL_" + i);
                label2id.put("LABEL_" + i, i);
            }
            if (r.numLabels() > 1 && !o.has("problem_type")) {
                o.put("problem_type", "regression");
            }
        }
        o.put("dtype", "float32");
        return o;
    }

    private static void putId(ObjectNode o, String key, int id) {
        if (id >= 0) {
            o.put(key, id);
        } else {
            o.putNull(key);
        }
    }

    /** Typed access to config fields with errors naming the file and field. */
    private static final class Fields {
        final JsonNode root;
        final Path file;

        Fields(JsonNode root, Path file) {
            this.root = root;
            this.file = file;
        }

        String where(String key) {
            return file + " field " + key;
        }

        JsonNode node(String key) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() ? null : n;
        }

        String requiredText(String key) {
            JsonNode n = node(key);
            if (n == null || !n.isTextual()) {
                throw new IllegalArgumentException(
                        "model config: missing or non-text field "
                                + key
                                + " ("
                                + n
                                + ") in "
                                + file
                                + "; expected e.g. \""
                                + key
                                + "\": \"llama\". Supported model types: "
                                + Architecture.supported());
            }
            return n.asText();
        }

        String text(String key, String dflt) {
            JsonNode n = node(key);
            return n == null ? dflt : n.asText();
        }

        int requiredInt(String key) {
            JsonNode n = node(key);
            if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new IllegalArgumentException(
                        "model config: missing or non-integer field "
                                + key
                                + " ("
                                + n
                                + ") in "
                                + file
                                + "; expected an integer");
            }
            return n.asInt();
        }

        /** A required integer {@code >= 1} (a 0 would divide by zero further on). */
        int positiveInt(String key) {
            int v = requiredInt(key);
            if (v < 1) {
                throw new IllegalArgumentException(
                        "model config: "
                                + file
                                + " field "
                                + key
                                + " is "
                                + v
                                + "; expected an integer >= 1");
            }
            return v;
        }

        int optInt(String key, int dflt) {
            return node(key) == null ? dflt : requiredInt(key);
        }

        int firstInt(String key) {
            JsonNode n = node(key);
            if (n == null) {
                return -1;
            }
            if (n.isArray()) {
                return n.size() == 0 ? -1 : n.get(0).asInt();
            }
            return requiredInt(key);
        }

        double dbl(String key, double dflt) {
            JsonNode n = node(key);
            if (n == null) {
                return dflt;
            }
            if (!n.isNumber()) {
                throw new IllegalArgumentException(
                        "model config: non-numeric field "
                                + key
                                + " ("
                                + n
                                + ") in "
                                + file
                                + "; expected a number");
            }
            return n.asDouble();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode n = node(key);
            return n == null ? dflt : n.asBoolean();
        }

        IllegalArgumentException unsupported(String key, String actual, String supported) {
            return new IllegalArgumentException(
                    "model config: unsupported "
                            + key
                            + " ("
                            + actual
                            + ") in "
                            + file
                            + "; supported: "
                            + supported);
        }
    }
}
