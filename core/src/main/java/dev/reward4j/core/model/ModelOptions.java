package dev.reward4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.util.Checks;
import java.util.Objects;

/**
 * Where and how a {@link DecoderModel} runs.
 *
 * @param device device of the parameters (inputs must live on the same device)
 * @param dtype parameter and compute dtype: {@link DataType#FLOAT32} or {@link DataType#FLOAT16}
 *     (BF16 is not supported by the DJL 0.35.1 PyTorch JNI; BF16 checkpoints are widened to the
 *     chosen dtype on load)
 * @param attention attention implementation
 * @param pooling which position a reward head reads ({@link RewardPooling#HF}, transformers' rule,
 *     by default); ignored by an LM head
 */
public record ModelOptions(
        Device device, DataType dtype, AttentionImpl attention, RewardPooling pooling) {

    public ModelOptions {
        Objects.requireNonNull(device, "ModelOptions: device");
        Objects.requireNonNull(dtype, "ModelOptions: dtype");
        Objects.requireNonNull(attention, "ModelOptions: attention");
        Objects.requireNonNull(pooling, "ModelOptions: pooling");
        Checks.argument(
                dtype == DataType.FLOAT32 || dtype == DataType.FLOAT16,
                () ->
                        "ModelOptions: unsupported dtype ("
                                + dtype
                                + "); expected FLOAT32 or FLOAT16. BF16 arrays abort the JVM on DJL"
                                + " 0.35.1: load BF16 checkpoints as FLOAT32.");
    }

    /** Options with the default pooling ({@link RewardPooling#HF}). */
    public ModelOptions(Device device, DataType dtype, AttentionImpl attention) {
        this(device, dtype, attention, RewardPooling.HF);
    }

    /** CPU, FLOAT32, eager attention, transformers' pooling. */
    public static ModelOptions defaults() {
        return new ModelOptions(Device.cpu(), DataType.FLOAT32, AttentionImpl.EAGER);
    }

    public ModelOptions withDevice(Device newDevice) {
        return new ModelOptions(newDevice, dtype, attention, pooling);
    }

    public ModelOptions withDtype(DataType newDtype) {
        return new ModelOptions(device, newDtype, attention, pooling);
    }

    public ModelOptions withAttention(AttentionImpl newAttention) {
        return new ModelOptions(device, dtype, newAttention, pooling);
    }

    /** With another reward-head pooling. */
    public ModelOptions withPooling(RewardPooling newPooling) {
        return new ModelOptions(device, dtype, attention, newPooling);
    }
}
