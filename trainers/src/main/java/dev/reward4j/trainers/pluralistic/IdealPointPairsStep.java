package dev.reward4j.trainers.pluralistic;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.losses.IdealPointPair;
import dev.reward4j.losses.PreferenceOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PreferenceMetrics;

/**
 * PAL-A on per-user preference pairs: the model embeds each response ({@link ScalarHeads} of width
 * D read at the last token), the pair's user has simplex weights over the K prototypes of {@link
 * IdealPointParameters}, and {@link PalA} prefers the response nearer the user's ideal point. Train
 * the model parameters together with {@link IdealPointParameters#parameters()}. Units: the sum of
 * pair weights; metrics: {@code accuracy} and {@code preference_nll}.
 */
public final class IdealPointPairsStep implements TrainingStep<UserPairBatch> {
    private final DecoderModel model;
    private final ScalarHeads embedding;
    private final IdealPointParameters params;
    private final PalA loss;

    /**
     * Creates the objective.
     *
     * @param model a model created or loaded with {@code embedding.modelHead()}
     * @param embedding the embedding layout (width D)
     * @param params prototypes {@code (K, D)} and the users' simplex logits
     * @param loss the loss and its temperature
     */
    public IdealPointPairsStep(
            DecoderModel model, ScalarHeads embedding, IdealPointParameters params, PalA loss) {
        this.model = model;
        this.embedding = embedding;
        this.params = params;
        this.loss = loss;
    }

    /**
     * Chosen and rejected embeddings of a pair batch, {@code (B, D)} each.
     *
     * @param model the model
     * @param embedding the layout
     * @param batch the batch
     * @return chosen then rejected embeddings, attached to the batch's manager
     */
    public static NDArray[] embeddings(DecoderModel model, ScalarHeads embedding, PairBatch batch) {
        NDArray f = embedding.read(model, batch.inputIds(), batch.attentionMask());
        long b = batch.pairs();
        return new NDArray[] {f.get("0:" + b), f.get(b + ":")};
    }

    @Override
    public StepResult compute(UserPairBatch batch, StepContext ctx) {
        PairBatch p = batch.pairs();
        NDArray[] f = embeddings(model, embedding, p);
        IdealPointPair pair =
                new IdealPointPair(
                        f[0], f[1], params.prototypes(), params.users().rows(batch.userRows()));
        PreferenceOutput out = loss.apply(pair, p.weight(), Reduction.SUM);
        MetricBag bag = PreferenceMetrics.addTo(new MetricBag(), HostArrays.of(out.probability()));
        return new StepResult(
                out.loss(), p.weight().sum().getFloat(), bag, p.ids(), p.realTokens());
    }
}
