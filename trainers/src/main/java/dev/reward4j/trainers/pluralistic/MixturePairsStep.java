package dev.reward4j.trainers.pluralistic;

import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;

/**
 * MiCRo-style mixture of K Bradley-Terry heads with a prompt router: \( \ell = -\log\sum_k
 * w_k(x)\,\sigma(r_k(x, y_c) - r_k(x, y_r)) \), \( w(x) = \mathrm{softmax} \) of the router logits
 * read at the last prompt token ({@link MixtureHead}). One forward over the {@code 2B} rows; units:
 * the sum of pair weights; metrics: {@code accuracy} and {@code preference_nll} of the mixture
 * probability.
 */
public final class MixturePairsStep implements TrainingStep<PairBatch> {
    private final DecoderModel model;
    private final MixtureHead head;

    /**
     * Creates the objective.
     *
     * @param model a model created or loaded with {@code head.modelHead()}
     * @param head the head layout
     */
    public MixturePairsStep(DecoderModel model, MixtureHead head) {
        this.model = model;
        this.head = head;
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        return MixtureLoss.step(MixtureLoss.heads(model, head, batch), batch);
    }
}
