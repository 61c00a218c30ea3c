package dev.reward4j.core.model;

/**
 * How the attention product is computed.
 *
 * <ul>
 *   <li>{@link #EAGER}: {@code softmax(q k^T / sqrt(d) + mask) v} with NDArray ops and a
 *       finite-minimum additive mask.
 *   <li>{@link #FUSED}: PyTorch {@code scaled_dot_product_attention} through a TorchScript module
 *       that reward4j writes at run time; fails if the module cannot be loaded.
 *   <li>{@link #AUTO}: {@link #FUSED} when the module loads, otherwise {@link #EAGER} (logged
 *       once).
 * </ul>
 */
public enum AttentionImpl {
    EAGER,
    FUSED,
    AUTO
}
