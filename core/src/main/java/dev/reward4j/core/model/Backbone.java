package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;

/** A decoder stack from token ids to final-normalised hidden states. */
sealed interface Backbone permits RotaryDecoder, Gpt2Decoder {

    /**
     * Hidden states (N, T, hidden) after the final norm, attached to {@code ids}' manager.
     *
     * @param ids (N, T) token ids
     * @param positions (N, T) or (1, T) position ids
     * @param segments (N, T) segment ids, 0 = padding (for unpacked rows: the attention mask)
     */
    NDArray hidden(NDArray ids, NDArray positions, NDArray segments);

    /** The backbone for {@code config}'s architecture over parameters {@code p}. */
    static Backbone of(
            ModelConfig config,
            java.util.Map<String, NDArray> p,
            Kernels kernels,
            ai.djl.ndarray.types.DataType dtype) {
        return config.architecture().rotary()
                ? new RotaryDecoder(config, p, kernels, dtype, Rope.invFreq(config))
                : new Gpt2Decoder(config, p, kernels.attention(), dtype);
    }
}
