package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.losses.AbsoluteLikelihoodObjective;
import dev.reward4j.losses.JointPairObjective;
import dev.reward4j.losses.LabeledPairObjective;
import dev.reward4j.losses.PairLogps;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import dev.reward4j.trainers.reference.PairReference;
import java.util.Objects;

/**
 * Sequence-level objectives on a {@link PairBatch} beyond the DPO catalogue: JPO on joint pairs
 * (the batch's chosen and rejected rows may carry different prompts), the labeled objectives (a
 * per-pair label from a {@link LabelSource}) and the reference-free absolute-likelihood objectives.
 * One policy forward over the 2B rows gives summed response log-probs and token counts; the
 * reference log-probs come from a {@link PairReference} when the loss uses them. Metrics as {@code
 * PolicyPairsObjective}: implicit-reward accuracy, rewards, margin, policy log-probs.
 */
public final class PairVariantsStep implements TrainingStep<PairBatch> {
    /** The loss applied to the log-probs of a batch. */
    @FunctionalInterface
    private interface PairLoss {
        PairwiseOutput apply(PairLogps logps, PairBatch batch);
    }

    private final DecoderModel policy;
    private final PairReference reference;
    private final PairLoss loss;

    private PairVariantsStep(DecoderModel policy, PairReference reference, PairLoss loss) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.reference = reference;
        this.loss = loss;
    }

    /**
     * JPO on joint pairs.
     *
     * @param policy the trained LM-head model
     * @param jpo the objective
     * @param reference reference log-probs of each response under its own prompt
     * @return the objective
     */
    public static PairVariantsStep joint(
            DecoderModel policy, JointPairObjective jpo, PairReference reference) {
        Objects.requireNonNull(reference, "reference");
        return new PairVariantsStep(
                policy, reference, (l, b) -> jpo.apply(l, b.weight(), Reduction.SUM));
    }

    /**
     * A labeled objective (soft preference, iREPO, MM-DPO, CREAM).
     *
     * @param policy the trained LM-head model
     * @param objective the objective
     * @param reference reference log-probs, or null for reference-free use
     * @param labels where the per-pair labels come from
     * @return the objective
     */
    public static PairVariantsStep labeled(
            DecoderModel policy,
            LabeledPairObjective objective,
            PairReference reference,
            LabelSource labels) {
        Objects.requireNonNull(labels, "labels");
        return new PairVariantsStep(
                policy,
                reference,
                (l, b) -> objective.apply(l, labels.labels(b), b.weight(), Reduction.SUM));
    }

    /**
     * A reference-free absolute-likelihood objective (ASFT, MaPO).
     *
     * @param policy the trained LM-head model
     * @param objective the objective
     * @return the objective
     */
    public static PairVariantsStep absolute(
            DecoderModel policy, AbsoluteLikelihoodObjective objective) {
        return new PairVariantsStep(
                policy, null, (l, b) -> objective.apply(l, b.weight(), Reduction.SUM));
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        SequenceLogps seq =
                SequenceLogps.of(
                        policy.tokenLogps(batch.inputIds(), batch.attentionMask()),
                        batch.responseMask());
        NDList sums = RowBlocks.split(seq.sum(), 2);
        NDList counts = RowBlocks.split(seq.count(), 2);
        NDArray refC = null;
        NDArray refR = null;
        if (reference != null) {
            NDList ref = RowBlocks.split(reference.chosenAndRejected(batch, ctx.manager()), 2);
            refC = ref.get(0);
            refR = ref.get(1);
        }
        PairwiseOutput out =
                loss.apply(
                        new PairLogps(
                                sums.get(0), sums.get(1), refC, refR, counts.get(0), counts.get(1)),
                        batch);
        MetricBag bag = new MetricBag();
        double[] c = HostArrays.of(out.chosenReward());
        double[] r = HostArrays.of(out.rejectedReward());
        double[] pc = HostArrays.of(sums.get(0).stopGradient());
        double[] pr = HostArrays.of(sums.get(1).stopGradient());
        if (HostArrays.allFinite(c, r, pc, pr)) {
            PairwiseMetrics.addTo(bag, c, r);
            PairwiseMetrics.addPolicyTo(bag, pc, pr);
        }
        return new StepResult(
                out.loss(), HostArrays.sum(batch.weight()), bag, batch.ids(), batch.realTokens());
    }
}
