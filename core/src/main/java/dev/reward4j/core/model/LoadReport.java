package dev.reward4j.core.model;

import java.util.List;

/**
 * What happened when a checkpoint was loaded.
 *
 * @param source checkpoint directory ({@code null} for a model created from scratch)
 * @param droppedTensors checkpoint tensors the chosen head does not use (e.g. {@code
 *     lm_head.weight} when loading a causal LM as a reward model), with HF buffers such as GPT-2
 *     {@code attn.bias}
 * @param freshScoreHead whether {@code score.weight} was freshly initialised because the checkpoint
 *     is a causal LM
 */
public record LoadReport(
        java.nio.file.Path source, List<String> droppedTensors, boolean freshScoreHead) {
    public LoadReport {
        droppedTensors = List.copyOf(droppedTensors);
    }

    static LoadReport fromScratch() {
        return new LoadReport(null, List.of(), false);
    }
}
