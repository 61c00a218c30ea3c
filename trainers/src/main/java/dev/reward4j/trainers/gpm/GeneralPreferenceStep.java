package dev.reward4j.trainers.gpm;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.EmbeddingPair;
import dev.reward4j.losses.PreferenceEmbeddingObjective.GeneralPreference;
import dev.reward4j.losses.PreferenceOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PreferenceMetrics;

/**
 * A general preference model on preference pairs: one forward over the {@code 2B} rows reads the
 * embeddings (and gate logits) of {@link PreferenceEmbeddingHead}, the loss is {@link
 * GeneralPreference} summed over pairs with the pair weights; units: the sum of pair weights;
 * metrics: {@code accuracy} and {@code preference_nll} of \( \sigma(s/\tau) \).
 */
public final class GeneralPreferenceStep implements TrainingStep<PairBatch> {
    private final DecoderModel model;
    private final PreferenceEmbeddingHead head;
    private final GeneralPreference loss;

    /**
     * Creates the objective.
     *
     * @param model a model created or loaded with {@code head.modelHead()}
     * @param head the head layout
     * @param loss the loss and its temperature
     */
    public GeneralPreferenceStep(
            DecoderModel model, PreferenceEmbeddingHead head, GeneralPreference loss) {
        this.model = model;
        this.head = head;
        this.loss = loss;
    }

    /**
     * The loss inputs of a pair batch: chosen embeddings (rows {@code [0, B)}), rejected embeddings
     * (rows {@code [B, 2B)}) and the gate logits of the pair's prompt (read on the chosen row).
     *
     * @param model the model
     * @param head the head layout
     * @param batch the batch
     * @return the embedding pair, attached to the batch's manager
     */
    public static EmbeddingPair embeddings(
            DecoderModel model, PreferenceEmbeddingHead head, PairBatch batch) {
        PreferenceEmbeddingHead.Outputs o =
                head.read(
                        model,
                        batch.inputIds(),
                        batch.attentionMask(),
                        batch.lastIndex(),
                        batch.responseMask());
        long b = batch.pairs();
        NDArray chosen = o.embeddings().get("0:" + b);
        NDArray rejected = o.embeddings().get(b + ":");
        NDArray gate = o.gateLogits() == null ? null : o.gateLogits().get("0:" + b);
        return new EmbeddingPair(chosen, rejected, gate);
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        PreferenceOutput out =
                loss.apply(embeddings(model, head, batch), batch.weight(), Reduction.SUM);
        MetricBag bag = PreferenceMetrics.addTo(new MetricBag(), HostArrays.of(out.probability()));
        double units = batch.weight().sum().getFloat();
        return new StepResult(out.loss(), units, bag, batch.ids(), batch.realTokens());
    }
}
