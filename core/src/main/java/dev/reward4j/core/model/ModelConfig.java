package dev.reward4j.core.model;

import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The architecture hyper-parameters of a decoder, parsed from an HF {@code config.json} ({@link
 * #load(Path)}) or built in code ({@link #of}).
 *
 * @param architecture decoder family (HF {@code model_type})
 * @param vocabSize vocabulary size
 * @param hiddenSize model width
 * @param intermediateSize MLP width ({@code n_inner} or 4 x width for GPT-2)
 * @param numLayers number of decoder blocks
 * @param numHeads query heads
 * @param numKvHeads key/value heads (GQA when smaller than {@code numHeads}, MQA when 1)
 * @param headDim per-head width ({@code head_dim}, default {@code hiddenSize / numHeads})
 * @param maxPositions {@code max_position_embeddings} / {@code n_positions}
 * @param normEps RMSNorm / LayerNorm epsilon
 * @param activation MLP activation
 * @param ropeTheta rotary base (ignored for GPT-2)
 * @param ropeScaling rotary scaling (ignored for GPT-2)
 * @param qkvBias whether q/k/v projections have a bias (Qwen2; Llama {@code attention_bias})
 * @param outputBias whether the attention output projection has a bias (Llama {@code
 *     attention_bias})
 * @param mlpBias whether the MLP projections have a bias (Llama {@code mlp_bias})
 * @param tieWordEmbeddings whether the LM head reuses the token embedding
 * @param slidingWindow attention window (Mistral / Qwen2 with {@code use_sliding_window}); 0 = full
 *     attention
 * @param initializerRange standard deviation of the normal initialisation
 * @param padTokenId pad token id, -1 when unset
 * @param bosTokenId BOS token id, -1 when unset
 * @param eosTokenId EOS token id (first one when a list), -1 when unset
 * @param numLabels {@code num_labels} of a sequence-classification checkpoint (1 when absent)
 * @param sourceJson the original {@code config.json} text (empty when built in code); unknown keys
 *     are kept on save
 */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int maxPositions,
        double normEps,
        Activation activation,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        boolean tieWordEmbeddings,
        int slidingWindow,
        double initializerRange,
        int padTokenId,
        int bosTokenId,
        int eosTokenId,
        int numLabels,
        String sourceJson) {

    public ModelConfig {
        Objects.requireNonNull(architecture, "ModelConfig: architecture");
        Objects.requireNonNull(activation, "ModelConfig: activation");
        Objects.requireNonNull(ropeScaling, "ModelConfig: ropeScaling");
        Objects.requireNonNull(sourceJson, "ModelConfig: sourceJson");
        Checks.positive(vocabSize, "vocab_size");
        Checks.positive(hiddenSize, "hidden_size");
        Checks.positive(intermediateSize, "intermediate_size");
        Checks.positive(numLayers, "num_hidden_layers");
        Checks.positive(numHeads, "num_attention_heads");
        Checks.positive(numKvHeads, "num_key_value_heads");
        Checks.positive(headDim, "head_dim");
        Checks.positive(maxPositions, "max_position_embeddings");
        Checks.positive(normEps, "norm eps");
        Checks.positive(ropeTheta, "rope_theta");
        Checks.nonNegative(initializerRange, "initializer_range");
        Checks.positive(numLabels, "num_labels");
        Checks.argument(
                slidingWindow >= 0,
                () -> "ModelConfig: sliding_window must be >= 0 (" + slidingWindow + ")");
        int heads = numHeads;
        int kv = numKvHeads;
        Checks.argument(
                heads % kv == 0,
                () ->
                        "ModelConfig: num_attention_heads ("
                                + heads
                                + ") must be a multiple of num_key_value_heads ("
                                + kv
                                + ")");
        Checks.argument(
                !architecture.rotary() || headDim % 2 == 0,
                () -> "ModelConfig: head_dim must be even for rotary embeddings (" + headDim + ")");
        Checks.argument(
                architecture.rotary() || headDim * numHeads == hiddenSize,
                () -> "ModelConfig: GPT-2 needs n_embd (" + hiddenSize + ") = n_head x head_dim");
    }

    /**
     * A config built in code with the family's usual defaults: Llama/Mistral (SiLU, theta 1e4, eps
     * 1e-6, no biases, untied), Qwen2 (q/k/v bias, theta 1e6, tied), GPT-2 (tanh-GELU, eps 1e-5,
     * tied, MLP 4 x width). Pad 0, BOS 1, EOS 2, initializer range 0.02, 2048 positions.
     */
    public static ModelConfig of(
            Architecture architecture,
            int vocabSize,
            int hiddenSize,
            int numLayers,
            int numHeads,
            int numKvHeads,
            int intermediateSize) {
        boolean gpt2 = architecture == Architecture.GPT2;
        boolean qwen = architecture == Architecture.QWEN2;
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                gpt2 ? 4 * hiddenSize : intermediateSize,
                numLayers,
                numHeads,
                gpt2 ? numHeads : numKvHeads,
                hiddenSize / numHeads,
                2048,
                gpt2 ? 1e-5 : 1e-6,
                gpt2 ? Activation.GELU_TANH : Activation.SILU,
                qwen ? 1e6 : 1e4,
                RopeScaling.NONE,
                qwen || gpt2,
                gpt2,
                gpt2,
                qwen || gpt2,
                0,
                0.02,
                0,
                1,
                2,
                1,
                "");
    }

    /** Reads {@code dir/config.json}; errors name the file and the field. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "model config: "
                            + dir
                            + (Files.exists(dir) ? " is a file" : " does not exist")
                            + "; expected a Hugging Face model directory (config.json +"
                            + " *.safetensors)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "model config: "
                            + dir
                            + " has no config.json; expected a Hugging Face model directory"
                            + " (config.json + *.safetensors)");
        }
        try {
            return HfConfig.parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "model config: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Number of query heads sharing one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Whether the checkpoint stores a separate {@code lm_head.weight}. */
    public boolean hasSeparateLmHead() {
        return !tieWordEmbeddings;
    }

    public ModelConfig withNumLayers(int n) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                n,
                numHeads,
                numKvHeads,
                headDim,
                maxPositions,
                normEps,
                activation,
                ropeTheta,
                ropeScaling,
                qkvBias,
                outputBias,
                mlpBias,
                tieWordEmbeddings,
                slidingWindow,
                initializerRange,
                padTokenId,
                bosTokenId,
                eosTokenId,
                numLabels,
                sourceJson);
    }

    public ModelConfig withMaxPositions(int n) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                n,
                normEps,
                activation,
                ropeTheta,
                ropeScaling,
                qkvBias,
                outputBias,
                mlpBias,
                tieWordEmbeddings,
                slidingWindow,
                initializerRange,
                padTokenId,
                bosTokenId,
                eosTokenId,
                numLabels,
                sourceJson);
    }

    public ModelConfig withRope(double theta, RopeScaling scaling) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                maxPositions,
                normEps,
                activation,
                theta,
                scaling,
                qkvBias,
                outputBias,
                mlpBias,
                tieWordEmbeddings,
                slidingWindow,
                initializerRange,
                padTokenId,
                bosTokenId,
                eosTokenId,
                numLabels,
                sourceJson);
    }

    public ModelConfig withSlidingWindow(int window) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                maxPositions,
                normEps,
                activation,
                ropeTheta,
                ropeScaling,
                qkvBias,
                outputBias,
                mlpBias,
                tieWordEmbeddings,
                window,
                initializerRange,
                padTokenId,
                bosTokenId,
                eosTokenId,
                numLabels,
                sourceJson);
    }

    public ModelConfig withTieWordEmbeddings(boolean tie) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                maxPositions,
                normEps,
                activation,
                ropeTheta,
                ropeScaling,
                qkvBias,
                outputBias,
                mlpBias,
                tie,
                slidingWindow,
                initializerRange,
                padTokenId,
                bosTokenId,
                eosTokenId,
                numLabels,
                sourceJson);
    }

    public ModelConfig withPadTokenId(int pad) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                maxPositions,
                normEps,
                activation,
                ropeTheta,
                ropeScaling,
                qkvBias,
                outputBias,
                mlpBias,
                tieWordEmbeddings,
                slidingWindow,
                initializerRange,
                pad,
                bosTokenId,
                eosTokenId,
                numLabels,
                sourceJson);
    }

    public ModelConfig withNumLabels(int k) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                maxPositions,
                normEps,
                activation,
                ropeTheta,
                ropeScaling,
                qkvBias,
                outputBias,
                mlpBias,
                tieWordEmbeddings,
                slidingWindow,
                initializerRange,
                padTokenId,
                bosTokenId,
                eosTokenId,
                k,
                sourceJson);
    }
}
