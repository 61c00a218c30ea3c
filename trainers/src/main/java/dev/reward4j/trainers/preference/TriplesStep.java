package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDList;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.data.TripleBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.TripleLogps;
import dev.reward4j.losses.TriplePreferenceObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;
import java.util.Objects;

/**
 * Triple Preference Optimization (TPO, TPO-L) on a {@link TripleBatch}: one reference-free policy
 * forward over the 3B rows (gold, chosen, rejected). Metrics: implicit-reward accuracy of chosen
 * over rejected, rewards, margin, policy log-probs and {@code gold_nll}.
 */
public final class TriplesStep implements TrainingStep<TripleBatch> {
    /** Metric name of the gold response's per-token NLL. */
    public static final String GOLD_NLL = "gold_nll";

    private final DecoderModel policy;
    private final TriplePreferenceObjective loss;

    /**
     * Creates the objective.
     *
     * @param policy the trained LM-head model
     * @param loss TPO or TPO-L
     */
    public TriplesStep(DecoderModel policy, TriplePreferenceObjective loss) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public StepResult compute(TripleBatch batch, StepContext ctx) {
        SequenceLogps seq =
                SequenceLogps.of(
                        policy.tokenLogps(batch.inputIds(), batch.attentionMask()),
                        batch.responseMask());
        NDList s = RowBlocks.split(seq.sum(), 3);
        NDList n = RowBlocks.split(seq.count(), 3);
        PairwiseOutput out =
                loss.apply(
                        new TripleLogps(s.get(0), s.get(1), s.get(2), n.get(0), n.get(1), n.get(2)),
                        batch.weight(),
                        Reduction.SUM);
        MetricBag bag = new MetricBag();
        double[] c = HostArrays.of(out.chosenReward());
        double[] r = HostArrays.of(out.rejectedReward());
        double[] nll = HostArrays.of(out.chosenNll());
        if (HostArrays.allFinite(c, r, nll)) {
            PairwiseMetrics.addTo(bag, c, r);
            PairwiseMetrics.addPolicyTo(
                    bag,
                    HostArrays.of(s.get(1).stopGradient()),
                    HostArrays.of(s.get(2).stopGradient()));
            double sum = 0;
            for (double v : nll) {
                sum += v;
            }
            bag.add(GOLD_NLL, sum, nll.length);
        }
        return new StepResult(
                out.loss(), HostArrays.sum(batch.weight()), bag, batch.ids(), batch.realTokens());
    }
}
