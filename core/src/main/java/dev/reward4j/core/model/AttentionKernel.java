package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The attention product {@code softmax(q k^T / sqrt(d) + mask) v} over (N, heads, T, d) arrays with
 * an additive (N, 1, T, T) mask of finite minima. Key/value heads are already repeated to the query
 * head count.
 */
sealed interface AttentionKernel permits AttentionKernel.Eager, AttentionKernel.Fused {

    /** Attention output (N, heads, T, d), attached to {@code q}'s manager. */
    NDArray attend(NDArray q, NDArray k, NDArray v, NDArray additiveMask);

    /** Which implementation this is. */
    AttentionImpl impl();

    /** matmul + additive mask + softmax + matmul on NDArray ops. */
    record Eager() implements AttentionKernel {
        @Override
        public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray additiveMask) {
            float scale = (float) (1.0 / Math.sqrt(q.getShape().get(q.getShape().dimension() - 1)));
            NDArray scores =
                    q.matMul(k.transpose(0, 1, 3, 2)).mul(Ops.scalar(q, scale)).add(additiveMask);
            return scores.softmax(-1).matMul(v);
        }

        @Override
        public AttentionImpl impl() {
            return AttentionImpl.EAGER;
        }
    }

    /**
     * PyTorch {@code scaled_dot_product_attention} through a runtime-written TorchScript module.
     */
    record Fused(KernelModule sdpa) implements AttentionKernel {
        @Override
        public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray additiveMask) {
            return sdpa.run(q, k, v, additiveMask);
        }

        @Override
        public AttentionImpl impl() {
            return AttentionImpl.FUSED;
        }
    }
}
