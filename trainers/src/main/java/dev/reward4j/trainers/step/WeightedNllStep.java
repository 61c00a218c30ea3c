package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.SequenceBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.SupervisedLosses;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.MetricBag;
import java.util.List;

/**
 * Supervised fine-tuning on weighted sequences with a token loss mask: C-RLFT's class-conditioned
 * examples (weight = class reward) and Chain-of-Hindsight sequences (targets = the responses, not
 * the prompt or the feedback phrases). One policy forward gives the token log-probs; the loss is
 * {@link SupervisedLosses#weightedNll} summed over the micro-batch, and the units are its target
 * tokens (known on the host), so the step's loss is \( \sum_b w_b \sum_t m_{bt}(-\log p_{bt}) /
 * \sum_{b,t} m_{bt} \) over the whole optimizer step. Metric {@value #NLL}: the unweighted negative
 * log-likelihood per target token.
 */
public final class WeightedNllStep implements TrainingStep<SequenceBatch> {
    /** The unweighted per-target-token negative log-likelihood. */
    public static final String NLL = "nll";

    private final DecoderModel policy;

    /** Creates the step for an LM-head {@code policy}. */
    public WeightedNllStep(DecoderModel policy) {
        this.policy = policy;
    }

    @Override
    public StepResult compute(SequenceBatch batch, StepContext ctx) {
        NDArray logps = policy.tokenLogps(batch.inputIds(), batch.attentionMask());
        NDArray loss =
                SupervisedLosses.weightedNll(
                        logps, batch.targetMask(), batch.weight(), Reduction.SUM);
        long targets = batch.targetTokens();
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        (double) targets,
                        (bag, v) -> addMetrics(bag, v, targets),
                        logps.stopGradient().mul(batch.targetMask()).sum().neg());
        return StepResult.deferred(loss, metrics, batch.ids(), batch.realTokens());
    }

    private static void addMetrics(MetricBag bag, List<double[]> v, long targets) {
        if (Double.isFinite(v.get(0)[0])) {
            bag.add(NLL, v.get(0)[0], targets);
        }
    }
}
