package dev.reward4j.trainers.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.losses.PairLogps;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.Objective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import java.util.List;

/**
 * Pairwise policy objective (DPO family): one policy forward over the {@code 2B} stacked rows gives
 * the summed response log-probs and token counts; the reference log-probs come from a {@link
 * PairReference} (frozen model or cache) or are absent for reference-free losses (SimPO, ORPO,
 * CPO). Metrics: implicit rewards (accuracy, chosen, rejected, margin), policy log-probs and the
 * policy ranking accuracy.
 */
public final class PolicyPairsObjective implements Objective<PairBatch> {
    private final DecoderModel policy;
    private final PairwisePolicyObjective loss;
    private final PairReference reference;

    /**
     * Creates the objective.
     *
     * @param policy the trained LM-head model
     * @param loss the DPO-family loss
     * @param reference reference log-probs, or null for a reference-free loss
     */
    public PolicyPairsObjective(
            DecoderModel policy, PairwisePolicyObjective loss, PairReference reference) {
        this.policy = policy;
        this.loss = loss;
        this.reference = reference;
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        SequenceLogps seq =
                SequenceLogps.of(
                        policy.tokenLogps(batch.inputIds(), batch.attentionMask()),
                        batch.responseMask());
        NDList sums = FrozenReference.halves(seq.sum());
        NDList counts = FrozenReference.halves(seq.count());
        NDArray refC = null;
        NDArray refR = null;
        if (reference != null) {
            NDList ref = FrozenReference.halves(reference.chosenAndRejected(batch, ctx.manager()));
            refC = ref.get(0);
            refR = ref.get(1);
        }
        PairLogps logps =
                new PairLogps(sums.get(0), sums.get(1), refC, refR, counts.get(0), counts.get(1));
        PairwiseOutput out = loss.apply(logps, batch.weight(), Reduction.SUM);
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        batch.weight().toType(DataType.FLOAT64, false).sum(),
                        PolicyPairsObjective::addMetrics,
                        out.chosenReward(),
                        out.rejectedReward(),
                        sums.get(0),
                        sums.get(1));
        return StepResult.deferred(out.loss(), metrics, batch.ids(), batch.realTokens());
    }

    private static void addMetrics(MetricBag bag, List<double[]> v) {
        double[] c = v.get(0);
        double[] r = v.get(1);
        double[] pc = v.get(2);
        double[] pr = v.get(3);
        if (Host.finite(c) && Host.finite(r) && Host.finite(pc) && Host.finite(pr)) {
            PairwiseMetrics.addTo(bag, c, r);
            PairwiseMetrics.addPolicyTo(bag, pc, pr);
        }
    }
}
