package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Where SparsePO's per-token weights come from (SparsePO, arXiv 2410.05102): constants derived from
 * the reference model, or a learned mask on the policy's hidden states. A common mask weights both
 * the reward and the KL term.
 */
public sealed interface TokenMaskSource
        permits TokenMaskSource.ReferenceActivations, TokenMaskSource.Learned {

    /**
     * Token weights {@code (N, T)} for the rows of a batch, entry t for token t.
     *
     * @param policy the policy
     * @param reference the frozen reference
     * @param inputIds (N, T)
     * @param attentionMask (N, T)
     * @param responseMask (N, T)
     * @return weights {@code (N, T)} float32; differentiable for learned masks
     */
    NDArray weights(
            DecoderModel policy,
            DecoderModel reference,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray responseMask);

    /** Parameters to optimise with the policy (empty for constant masks). */
    Map<String, NDArray> parameters();

    /**
     * Weights from the reference model's activations: the mean absolute final-layer activation of
     * each response token, min-max normalised to [0, 1] within each response (constants). The paper
     * averages normalised activations over layers; the decoder here exposes the final layer only.
     */
    record ReferenceActivations() implements TokenMaskSource {
        @Override
        public NDArray weights(
                DecoderModel policy,
                DecoderModel reference,
                NDArray inputIds,
                NDArray attentionMask,
                NDArray responseMask) {
            NDArray h = reference.hiddenStates(inputIds, attentionMask).stopGradient();
            NDArray act = h.abs().mean(new int[] {-1}).toType(DataType.FLOAT32, false); // (N, T)
            NDArray resp = responseMask.toType(DataType.FLOAT32, false);
            double big = 1e30;
            NDArray hi = act.mul(resp).add(resp.sub(1f).mul(big)).max(new int[] {1}, true);
            NDArray lo = act.mul(resp).sub(resp.sub(1f).mul(big)).min(new int[] {1}, true);
            NDArray span = hi.sub(lo).maximum(1e-12f);
            return act.sub(lo).div(span).mul(resp).stopGradient();
        }

        @Override
        public Map<String, NDArray> parameters() {
            return Map.of();
        }
    }

    /**
     * A learned mask \( m_t = \mathrm{ReLU}(w^\top h_t + b) \) on the policy's final hidden state
     * of token t; ReLU lets the mask reach exactly 0 (sparsity). Initialised to \( b = 1 \) and
     * small \( w \), so training starts close to TDPO1. Its two parameters must be given to the
     * optimizer together with the policy's ({@link #parameters()}).
     *
     * @param weight {@code (H)} parameter
     * @param bias {@code (1)} parameter
     */
    record Learned(NDArray weight, NDArray bias) implements TokenMaskSource {
        /**
         * A fresh head for hidden size {@code hidden}, created in the policy's manager.
         *
         * @param policy the policy whose hidden states the head reads
         * @param seed initialisation seed
         * @return the head (parameters require gradients)
         */
        public static Learned create(DecoderModel policy, long seed) {
            int hidden = policy.config().hiddenSize();
            Checks.argument(
                    hidden > 0, () -> "sparse-po: hidden size " + hidden + "; expected > 0");
            Random r = new Random(seed);
            float[] w = new float[hidden];
            for (int i = 0; i < hidden; i++) {
                w[i] = (float) (r.nextGaussian() * 0.02);
            }
            NDArray wa = policy.manager().create(w);
            NDArray ba = policy.manager().create(new float[] {1f});
            wa.setRequiresGradient(true);
            ba.setRequiresGradient(true);
            return new Learned(wa, ba);
        }

        @Override
        public NDArray weights(
                DecoderModel policy,
                DecoderModel reference,
                NDArray inputIds,
                NDArray attentionMask,
                NDArray responseMask) {
            NDArray h = policy.hiddenStates(inputIds, attentionMask);
            NDArray logits = h.matMul(weight.expandDims(-1)).squeeze(-1).add(bias);
            NDArray resp = responseMask.toType(logits.getDataType(), false);
            return ai.djl.nn.Activation.relu(logits).mul(resp);
        }

        @Override
        public Map<String, NDArray> parameters() {
            Map<String, NDArray> m = new LinkedHashMap<>();
            m.put("sparse_po.mask.weight", weight);
            m.put("sparse_po.mask.bias", bias);
            return m;
        }
    }
}
