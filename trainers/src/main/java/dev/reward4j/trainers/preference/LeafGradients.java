package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradients of a small loss graph with respect to fresh leaf copies of its inputs, computed with a
 * nested backward inside the training step. Token-level objectives need the loss gradient with
 * respect to every per-token statistic before the chunked gradient pass over the vocabulary (see
 * {@code dev.reward4j.core.model.TokenDistributions#gradient}); the leaves are detached copies, so
 * the nested backward touches no model parameter.
 */
final class LeafGradients {
    private LeafGradients() {}

    /**
     * A detached copy of {@code x} that requires a gradient (an autograd leaf).
     *
     * @param x any array
     * @return the leaf, attached to {@code x}'s manager
     */
    static NDArray leaf(NDArray x) {
        NDArray copy = x.stopGradient().duplicate();
        copy.setRequiresGradient(true);
        return copy;
    }

    /**
     * Backward of the scalar {@code loss} into {@code leaves}; returns their gradients (the handles
     * are copies, the leaves' own gradients are left to the step manager).
     *
     * @param loss scalar built from the leaves
     * @param leaves leaves made by {@link #leaf}
     * @return one gradient per leaf, same shapes
     */
    static NDArray[] of(NDArray loss, NDArray... leaves) {
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
        }
        NDArray[] out = new NDArray[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            try (NDArray g = leaves[i].getGradient()) {
                out[i] = g.duplicate();
            }
        }
        return out;
    }
}
