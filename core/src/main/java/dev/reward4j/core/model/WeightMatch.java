package dev.reward4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Strict matching of checkpoint tensors against the expected layout: shapes must agree, nothing may
 * be missing or unexpected except tensors the chosen head does not use and HF buffers (dropped),
 * and a causal-LM checkpoint loaded with a reward head (fresh score head).
 *
 * @param dropped checkpoint tensors that are not loaded
 * @param freshScoreHead whether {@code score.weight} must be initialised
 */
record WeightMatch(List<String> dropped, boolean freshScoreHead) {

    static WeightMatch of(
            Checkpoint ckpt, List<ParamSpec> layout, ModelConfig config, ModelHead head) {
        Set<String> expected = layout.stream().map(ParamSpec::name).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (ParamSpec spec : layout) {
            if (!ckpt.names().contains(spec.name())) {
                missing.add(spec.name());
                continue;
            }
            SafetensorsFile.TensorInfo info = ckpt.info(spec.name());
            if (!info.shape().equals(spec.shape())) {
                String hint =
                        spec.isScoreHead()
                                ? " Load a K-label reward model with ModelHead.reward(K)."
                                : " Check that config.json matches the weights.";
                throw new IllegalArgumentException(
                        "checkpoint: tensor "
                                + spec.name()
                                + " in "
                                + ckpt.file(spec.name()).file()
                                + " has shape "
                                + info.shape()
                                + "; expected "
                                + spec.shape()
                                + " for "
                                + config.architecture().modelType()
                                + " (hidden "
                                + config.hiddenSize()
                                + ", heads "
                                + config.numHeads()
                                + "/"
                                + config.numKvHeads()
                                + ", head_dim "
                                + config.headDim()
                                + ", vocab "
                                + config.vocabSize()
                                + ")."
                                + hint);
            }
        }
        boolean fresh = false;
        if (missing.contains(ParamSpec.SCORE) && head instanceof ModelHead.Reward) {
            if (isSequenceClassification(config)) {
                throw new IllegalArgumentException(
                        "checkpoint: "
                                + ckpt.dir()
                                + " is a *ForSequenceClassification checkpoint without "
                                + ParamSpec.SCORE
                                + "; refusing to initialise a random reward head. Re-save the"
                                + " reward model with its head.");
            }
            missing.remove(ParamSpec.SCORE);
            fresh = true;
        }
        List<String> dropped = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String name : ckpt.names()) {
            if (expected.contains(name)) {
                continue;
            }
            if (droppable(name, head)) {
                dropped.add(name);
            } else {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException(
                    "checkpoint: tensors of "
                            + ckpt.dir()
                            + " do not match "
                            + config.architecture().modelType()
                            + " with "
                            + head
                            + " ("
                            + config.numLayers()
                            + " layers); missing "
                            + missing.size()
                            + ": "
                            + limit(missing)
                            + "; unexpected "
                            + unexpected.size()
                            + ": "
                            + limit(unexpected)
                            + ". Check that config.json matches the weights.");
        }
        return new WeightMatch(dropped, fresh);
    }

    private static boolean droppable(String name, ModelHead head) {
        if (name.equals(ParamSpec.LM_HEAD)) {
            return true; // unused by a reward head; a duplicate of the embedding when tied
        }
        if (name.equals(ParamSpec.SCORE)) {
            return head instanceof ModelHead.Lm;
        }
        return name.endsWith(".attn.bias")
                || name.endsWith(".attn.masked_bias")
                || name.endsWith("rotary_emb.inv_freq");
    }

    private static boolean isSequenceClassification(ModelConfig config) {
        if (config.sourceJson().isEmpty()) {
            return false;
        }
        try {
            JsonNode archs = HfConfig.JSON.readTree(config.sourceJson()).get("architectures");
            if (archs != null && archs.isArray()) {
                for (JsonNode a : archs) {
                    if (a.asText().endsWith("ForSequenceClassification")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String limit(List<String> names) {
        return names.size() <= 12 ? names.toString() : names.subList(0, 12) + " ...";
    }
}
