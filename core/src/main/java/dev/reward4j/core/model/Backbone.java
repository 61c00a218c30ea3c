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
                ? new RotaryDecoder(config, p, kernels, dtype, invFreq(config, p))
                : new Gpt2Decoder(config, p, kernels.attention(), dtype);
    }

    /** The rotary inverse frequencies as a float32 array in the parameters' manager. */
    private static NDArray invFreq(ModelConfig config, java.util.Map<String, NDArray> p) {
        NDArray any = p.values().iterator().next();
        NDArray inv = any.getManager().create(Rope.invFreq(config));
        inv.setName("rope.inv_freq");
        return inv;
    }
}
