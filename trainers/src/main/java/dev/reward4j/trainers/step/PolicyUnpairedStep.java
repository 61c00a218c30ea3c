package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.UnpairedBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.losses.BcoOutput;
import dev.reward4j.losses.BcoState;
import dev.reward4j.losses.DensityRatioClassifier;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.UnpairedLogps;
import dev.reward4j.losses.UnpairedLosses;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.losses.UnpairedOutput;
import dev.reward4j.trainers.loop.DeferredMetrics;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.reference.FrozenReference;

/**
 * Unpaired policy objective (KTO, BCO, unpaired APO-zero) on binary feedback. KTO's reference point
 * \( z_0 \) comes from the mismatched KL rows of the same micro-batch (policy forward with grad
 * mode off: \( z_0 \) is detached anyway), i.e. from the per-step batch, not the accumulated one,
 * as in TRL's KTO trainer after the KTO authors' fixes; BCO keeps its running reward mean as host
 * state, saved with checkpoints ({@link #state()}). Loss: sum over examples; units: examples.
 * Metrics: accuracy (right side of the reference point), desirable/undesirable implicit rewards,
 * {@code kl}.
 */
public final class PolicyUnpairedStep implements TrainingStep<UnpairedBatch> {
    private final DecoderModel policy;
    private final UnpairedObjective loss;
    private final FrozenReference reference;
    private final DensityRatioClassifier densityRatio;
    private BcoState bcoState = BcoState.initial();

    /** Creates the objective with an explicit frozen reference model. */
    public PolicyUnpairedStep(
            DecoderModel policy, UnpairedObjective loss, FrozenReference reference) {
        this(policy, loss, reference, null);
    }

    /**
     * Creates the objective; BCO with UDM weights its undesirable examples by {@code densityRatio}
     * on the prompt embeddings of {@link PromptEmbeddings}.
     *
     * @param policy the trained LM-head model
     * @param loss KTO, BCO or unpaired APO-zero
     * @param reference the frozen reference model
     * @param densityRatio BCO's fitted UDM classifier, or null (no UDM)
     */
    public PolicyUnpairedStep(
            DecoderModel policy,
            UnpairedObjective loss,
            FrozenReference reference,
            DensityRatioClassifier densityRatio) {
        this.policy = policy;
        this.loss = loss;
        this.reference = reference;
        this.densityRatio = densityRatio;
    }

    @Override
    public double[] state() {
        return new double[] {bcoState.mean(), bcoState.count()};
    }

    @Override
    public void restore(double[] state) {
        dev.reward4j.core.util.Checks.argument(
                state.length == 2,
                () ->
                        "train: a checkpoint holds "
                                + state.length
                                + " values of unpaired-step state; expected 2 (BCO's running mean"
                                + " and count)");
        bcoState = new BcoState(state[0], state[1]);
    }

    @Override
    public StepResult compute(UnpairedBatch batch, StepContext ctx) {
        NDArray pol =
                SequenceLogps.of(
                                policy.tokenLogps(batch.inputIds(), batch.attentionMask()),
                                batch.responseMask())
                        .sum();
        NDArray ref =
                reference.sequenceLogps(
                        batch.inputIds(), batch.attentionMask(), batch.responseMask());
        UnpairedLogps logps = new UnpairedLogps(pol, ref, batch.desirable());
        UnpairedOutput out;
        if (loss instanceof UnpairedObjective.Kto kto) {
            NDArray klPolicy =
                    Gradients.withGradModeOff(
                            () ->
                                    SequenceLogps.of(
                                                    policy.tokenLogps(
                                                            batch.klInputIds(),
                                                            batch.klAttentionMask()),
                                                    batch.klResponseMask())
                                            .sum());
            NDArray klRef =
                    reference.sequenceLogps(
                            batch.klInputIds(), batch.klAttentionMask(), batch.klResponseMask());
            out = UnpairedLosses.kto(logps, klPolicy, klRef, kto, null, Reduction.SUM);
        } else if (loss instanceof UnpairedObjective.ApoZeroUnpaired apo) {
            out = apo.apply(logps, null, Reduction.SUM);
        } else {
            UnpairedObjective.Bco b = (UnpairedObjective.Bco) loss;
            NDArray udm = null;
            if (densityRatio != null) {
                double[] w =
                        densityRatio.weights(
                                PromptEmbeddings.of(reference, batch),
                                HostArrays.of(batch.desirable()),
                                b.minDensityRatio(),
                                b.maxDensityRatio());
                udm = pol.getManager().create(w).toType(pol.getDataType(), false);
            }
            BcoOutput bco = UnpairedLosses.bco(logps, bcoState, b, udm, null, Reduction.SUM);
            if (ctx.training()) {
                bcoState = bco.state();
            }
            out = bco.output();
        }
        int n = batch.ids().size();
        DeferredMetrics metrics =
                DeferredMetrics.of(
                        n,
                        (bag, v) -> addMetrics(bag, v, n),
                        out.reward(),
                        batch.desirable(),
                        out.accuracy(),
                        out.referencePoint());
        return StepResult.deferred(out.loss(), metrics, batch.ids(), batch.realTokens());
    }

    private static void addMetrics(MetricBag bag, java.util.List<double[]> v, int n) {
        double[] reward = v.get(0);
        double[] d = v.get(1);
        if (HostArrays.allFinite(reward)) {
            bag.add(MetricNames.ACCURACY, sum(v.get(2)), n);
            double sd = 0;
            double su = 0;
            double nd = 0;
            for (int i = 0; i < n; i++) {
                sd += d[i] * reward[i];
                su += (1 - d[i]) * reward[i];
                nd += d[i];
            }
            bag.add(MetricNames.REWARD_CHOSEN, sd, nd);
            bag.add(MetricNames.REWARD_REJECTED, su, n - nd);
            bag.add("kl", sum(v.get(3)), 1);
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
