package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.core.model.TokenStatistics;
import dev.reward4j.losses.PairLogps;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.diagnostics.PairDiagnostics;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import dev.reward4j.trainers.reference.PairReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Pairwise policy objective (DPO family): one policy forward over the {@code 2B} stacked rows gives
 * the summed response log-probs and token counts (and the chosen prompts' log-probs, for TRL's ORPO
 * NLL over prompt and response tokens); the reference log-probs come from a {@link PairReference}
 * (frozen model or cache) or are absent for reference-free losses (SimPO, ORPO, CPO). Metrics:
 * implicit rewards (accuracy, chosen, rejected, margin), policy log-probs and the policy ranking
 * accuracy; with {@link PairDiagnostics} also CHES, top-k entropy and mass and the idealized
 * ranking accuracy, from the same forward ({@code DecoderModel.tokenStatistics}) and read with the
 * other deferred metrics (no extra host read).
 */
public final class PolicyPairsStep implements TrainingStep<PairBatch> {
    private final DecoderModel policy;
    private final PairwisePolicyObjective loss;
    private final PairReference reference;
    private final PairDiagnostics diagnostics;

    /**
     * Creates the objective.
     *
     * @param policy the trained LM-head model
     * @param loss the DPO-family loss
     * @param reference reference log-probs, or null for a reference-free loss
     */
    public PolicyPairsStep(
            DecoderModel policy, PairwisePolicyObjective loss, PairReference reference) {
        this(policy, loss, reference, null);
    }

    /**
     * Creates the objective with training diagnostics.
     *
     * @param policy the trained LM-head model
     * @param loss the DPO-family loss
     * @param reference reference log-probs, or null for a reference-free loss
     * @param diagnostics the diagnostics to log with every step, or null for none
     */
    public PolicyPairsStep(
            DecoderModel policy,
            PairwisePolicyObjective loss,
            PairReference reference,
            PairDiagnostics diagnostics) {
        this.policy = policy;
        this.loss = loss;
        this.reference = reference;
        this.diagnostics = diagnostics;
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        NDArray tokenLogps;
        NDArray squaredMass = null;
        TokenStatistics stats = null;
        if (diagnostics != null) {
            stats =
                    policy.tokenStatistics(
                            batch.inputIds(),
                            batch.attentionMask(),
                            diagnostics.topK(),
                            loss.usesAligned());
            tokenLogps = stats.tokenLogps();
            squaredMass = stats.logSquaredMass();
        } else if (loss.usesAligned()) {
            NDList both = policy.tokenLogpsWithSquaredMass(batch.inputIds(), batch.attentionMask());
            tokenLogps = both.get(0);
            squaredMass = both.get(1);
        } else {
            tokenLogps = policy.tokenLogps(batch.inputIds(), batch.attentionMask());
        }
        SequenceLogps seq = SequenceLogps.of(tokenLogps, batch.responseMask());
        // the prompt tokens of the same forward, for an NLL over prompt and response (TRL ORPO)
        SequenceLogps prompt =
                SequenceLogps.prompt(tokenLogps, batch.attentionMask(), batch.responseMask());
        NDList sums = RowBlocks.halves(seq.sum());
        NDList counts = RowBlocks.halves(seq.count());
        NDList promptSums = RowBlocks.halves(prompt.sum());
        NDList promptCounts = RowBlocks.halves(prompt.count());
        NDArray refC = null;
        NDArray refR = null;
        if (reference != null) {
            NDList ref = RowBlocks.halves(reference.chosenAndRejected(batch, ctx.manager()));
            refC = ref.get(0);
            refR = ref.get(1);
        }
        PairLogps logps =
                new PairLogps(sums.get(0), sums.get(1), refC, refR, counts.get(0), counts.get(1))
                        .withChosenPrompt(promptSums.get(0), promptCounts.get(0));
        if (squaredMass != null) {
            logps = logps.withAligned(aligned(tokenLogps, squaredMass, batch.responseMask()));
        }
        if (loss.usesTails()) {
            logps = logps.withTails(tails(batch, tokenLogps, ctx));
        }
        PairwiseOutput out = loss.apply(logps, batch.weight(), Reduction.SUM);
        List<NDArray> arrays = new ArrayList<>();
        arrays.add(out.chosenReward());
        arrays.add(out.rejectedReward());
        arrays.add(sums.get(0));
        arrays.add(sums.get(1));
        if (diagnostics != null) {
            arrays.addAll(diagnostics.rows(stats, batch, refC, refR));
        }
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        batch.weight().toType(DataType.FLOAT64, false).sum(),
                        PolicyPairsStep::addMetrics,
                        arrays.toArray(new NDArray[0]));
        return StepResult.deferred(out.loss(), metrics, batch.ids(), batch.realTokens());
    }

    /** The pair metrics, then (when the step has diagnostics) the diagnostic rows. */
    private static void addMetrics(MetricBag bag, List<double[]> v) {
        double[] c = v.get(0);
        double[] r = v.get(1);
        double[] pc = v.get(2);
        double[] pr = v.get(3);
        if (HostArrays.allFinite(c)
                && HostArrays.allFinite(r)
                && HostArrays.allFinite(pc)
                && HostArrays.allFinite(pr)) {
            PairwiseMetrics.addTo(bag, c, r);
            PairwiseMetrics.addPolicyTo(bag, pc, pr);
            if (v.size() > 4) {
                double[][] diag = v.subList(4, v.size()).toArray(new double[0][]);
                // the last row (idealized ranking) is NaN without a reference
                if (HostArrays.allFinite(java.util.Arrays.copyOf(diag, diag.length - 1))) {
                    PairDiagnostics.addTo(bag, diag, pc, pr);
                }
            }
        }
    }

    /**
     * WPO's aligned mean log-probs: \( \frac{1}{\max(n,1)}\sum_t m_t (\log p_t - \log\sum_v p_v^2)
     * \) over the response tokens, detached, split into chosen and rejected halves.
     */
    private static PairLogps.Aligned aligned(
            NDArray tokenLogps, NDArray squaredMass, NDArray responseMask) {
        NDArray m = responseMask.toType(tokenLogps.getDataType(), false);
        NDArray sum = tokenLogps.stopGradient().sub(squaredMass).mul(m).sum(new int[] {1});
        NDArray mean = sum.div(m.sum(new int[] {1}).maximum(1f));
        NDList halves = RowBlocks.halves(mean);
        return new PairLogps.Aligned(halves.get(0), halves.get(1));
    }

    /**
     * LD-DPO's tails: the response tokens of each row past the pair's shared length \( \min(n_c,
     * n_r) \), summed under the policy (with gradient) and the reference (detached).
     */
    private PairLogps.Tails tails(PairBatch batch, NDArray tokenLogps, StepContext ctx) {
        NDArray m = batch.responseMask().toType(tokenLogps.getDataType(), false);
        NDList n = RowBlocks.halves(m.sum(new int[] {1}));
        NDArray shared = n.get(0).minimum(n.get(1));
        NDArray rowShared = shared.concat(shared, 0).expandDims(1);
        NDArray tailMask = m.mul(m.cumSum(1).gt(rowShared).toType(m.getDataType(), false));
        NDList policyTails = RowBlocks.halves(tokenLogps.mul(tailMask).sum(new int[] {1}));
        NDArray refC = null;
        NDArray refR = null;
        if (reference != null) {
            NDList r =
                    RowBlocks.halves(
                            reference.chosenAndRejectedOver(batch, tailMask, ctx.manager()));
            refC = r.get(0);
            refR = r.get(1);
        }
        return new PairLogps.Tails(policyTails.get(0), policyTails.get(1), refC, refR);
    }
}
