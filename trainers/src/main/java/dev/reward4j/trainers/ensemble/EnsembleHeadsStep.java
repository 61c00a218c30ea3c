package dev.reward4j.trainers.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;

/**
 * K reward heads on one shared backbone trained as an ensemble: each head k gets the Bradley-Terry
 * loss (any {@link RewardModelObjective} without auxiliaries) on its own column, with per-example
 * bootstrap weights \( w_{bk} \sim \mathrm{Poisson}(1) \) drawn from {@code (seed, example id, k)}
 * when bootstrapping is on, so that heads see different resamples of the data; the loss is the sum
 * over heads. Units: the sum of pair weights (each head's loss is a per-pair mean, summed over
 * heads); metrics: reward metrics of the mean of the heads.
 */
public final class EnsembleHeadsStep implements TrainingStep<PairBatch> {
    private final DecoderModel model;
    private final ScalarHeads heads;
    private final RewardModelObjective loss;
    private final boolean bootstrap;
    private final long seed;

    /**
     * Creates the objective.
     *
     * @param model a model with {@code heads.modelHead()}
     * @param heads the K heads
     * @param loss the per-head loss (its margin, probability and tie inputs are not used)
     * @param bootstrap whether heads get Poisson(1) bootstrap weights
     * @param seed bootstrap seed
     */
    public EnsembleHeadsStep(
            DecoderModel model,
            ScalarHeads heads,
            RewardModelObjective loss,
            boolean bootstrap,
            long seed) {
        Checks.argument(
                loss instanceof RewardModelObjective.BradleyTerry
                        || loss instanceof RewardModelObjective.BtDirectReward,
                () ->
                        "EnsembleHeadsStep: loss "
                                + loss.name()
                                + "; expected bt or bt-direct (no per-pair auxiliaries)");
        this.model = model;
        this.heads = heads;
        this.loss = loss;
        this.bootstrap = bootstrap;
        this.seed = seed;
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        NDArray r = heads.read(model, batch.inputIds(), batch.attentionMask());
        long b = batch.pairs();
        int k = heads.heads();
        NDArray chosen = r.get("0:" + b);
        NDArray rejected = r.get(b + ":");
        NDArray total = null;
        for (int j = 0; j < k; j++) {
            NDArray w = batch.weight();
            if (bootstrap) {
                w = w.mul(batch.weight().getManager().create(bootstrap(batch, j), new Shape(b)));
            }
            PairwiseOutput out =
                    loss.apply(
                            RewardPair.of(chosen.get(":, " + j), rejected.get(":, " + j)),
                            w,
                            Reduction.SUM);
            total = total == null ? out.loss() : total.add(out.loss());
        }
        MetricBag bag = new MetricBag();
        double[] c = HostArrays.of(chosen.mean(new int[] {1}));
        double[] rr = HostArrays.of(rejected.mean(new int[] {1}));
        PairwiseMetrics.addTo(bag, c, rr);
        return new StepResult(
                total, batch.weight().sum().getFloat(), bag, batch.ids(), batch.realTokens());
    }

    /** Poisson(1) draws per example for head {@code j}, from (seed, id, j). */
    private float[] bootstrap(PairBatch batch, int j) {
        float[] w = new float[batch.pairs()];
        for (int i = 0; i < w.length; i++) {
            long h = seed * 0x9E3779B97F4A7C15L + batch.ids().get(i).hashCode() * 31L + j;
            java.util.SplittableRandom rng = new java.util.SplittableRandom(h);
            double limit = Math.exp(-1);
            double p = rng.nextDouble();
            int n = 0;
            while (p > limit) {
                p *= rng.nextDouble();
                n++;
            }
            w[i] = n;
        }
        return w;
    }
}
