package dev.reward4j.core.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Supported decoder families, identified by the HF {@code model_type}. */
public enum Architecture {
    /** Llama 1/2/3 (incl. {@code llama3} rope scaling): RMSNorm, RoPE, SwiGLU, GQA. */
    LLAMA("llama", "Llama", "LlamaForCausalLM"),
    /** Mistral: the Llama block with optional sliding-window attention. */
    MISTRAL("mistral", "Mistral", "MistralForCausalLM"),
    /** Qwen2 / Qwen2.5: the Llama block with q/k/v biases (tied embeddings in small sizes). */
    QWEN2("qwen2", "Qwen2", "Qwen2ForCausalLM"),
    /** GPT-2: LayerNorm, learned positions, {@code Conv1D} weights stored (in, out), tanh-GELU. */
    GPT2("gpt2", "GPT2", "GPT2LMHeadModel");

    private final String modelType;
    private final String classPrefix;
    private final String causalLmClass;

    Architecture(String modelType, String classPrefix, String causalLmClass) {
        this.modelType = modelType;
        this.classPrefix = classPrefix;
        this.causalLmClass = causalLmClass;
    }

    /** The HF {@code model_type} string. */
    public String modelType() {
        return modelType;
    }

    /**
     * HF class name of the sequence-classification (reward) model, e.g. {@code
     * LlamaForSequenceClassification}.
     */
    public String sequenceClassificationClass() {
        return classPrefix + "ForSequenceClassification";
    }

    /** HF class name of the causal LM, e.g. {@code LlamaForCausalLM}. */
    public String causalLmClass() {
        return causalLmClass;
    }

    /** Whether the model uses the Llama-style block (RMSNorm, RoPE, gated MLP). */
    boolean rotary() {
        return this != GPT2;
    }

    /** Prefix of the backbone tensor names ({@code model.} or {@code transformer.}). */
    String prefix() {
        return this == GPT2 ? "transformer." : "model.";
    }

    /** Parses an HF {@code model_type}; the error lists the supported types. */
    public static Architecture fromModelType(String modelType, String where) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "model config: unsupported model_type ("
                        + modelType
                        + ") in "
                        + where
                        + "; supported: "
                        + supported()
                        + ". Convert the checkpoint or open an issue for the architecture.");
    }

    /** Comma-separated supported {@code model_type} values. */
    public static String supported() {
        return Arrays.stream(values())
                .map(Architecture::modelType)
                .collect(Collectors.joining(", "));
    }
}
