package dev.reward4j.trainers.pluralistic;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.HeadPair;
import dev.reward4j.losses.MixtureObjective.MixtureBt;
import dev.reward4j.losses.PreferenceOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PreferenceMetrics;

/**
 * The part of mixture training shared by the prompt-routed and the user-routed objective: head
 * rewards and router logits of a pair batch, {@link MixtureBt} summed with the pair weights, and
 * the preference metrics.
 */
final class MixtureLoss {
    private MixtureLoss() {}

    /**
     * Head rewards (chosen rows, rejected rows) and the prompt's router logits (read on the chosen
     * row) of a pair batch.
     */
    static HeadPair heads(DecoderModel model, MixtureHead head, PairBatch batch) {
        MixtureHead.Outputs o =
                head.read(
                        model,
                        batch.inputIds(),
                        batch.attentionMask(),
                        batch.lastIndex(),
                        batch.responseMask());
        long b = batch.pairs();
        return HeadPair.of(o.rewards().get("0:" + b), o.rewards().get(b + ":"))
                .withRouterLogits(o.routerLogits().get("0:" + b));
    }

    /** The step result of a pair batch whose router logits may have been shifted per user. */
    static StepResult step(HeadPair pair, PairBatch batch) {
        PreferenceOutput out = new MixtureBt().apply(pair, batch.weight(), Reduction.SUM);
        MetricBag bag = PreferenceMetrics.addTo(new MetricBag(), HostArrays.of(out.probability()));
        NDArray units = batch.weight().sum();
        return new StepResult(out.loss(), units.getFloat(), bag, batch.ids(), batch.realTokens());
    }
}
