package dev.reward4j.trainers.pluralistic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.HeadPair;
import dev.reward4j.losses.MixtureObjective.ResponsibilityBt;
import dev.reward4j.losses.PreferenceOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PreferenceMetrics;

/**
 * The M-step of EM over K preference clusters: K reward heads ({@link ScalarHeads}) trained with
 * {@link ResponsibilityBt}, each pair weighted per head by its user's responsibilities (fixed for
 * the step; one-hot for hard EM). Units: the sum of pair weights; metrics: {@code accuracy} and
 * {@code preference_nll} of \( \sum_k \rho_k \sigma(d_k) \).
 */
public final class ResponsibilityPairsStep implements TrainingStep<UserPairBatch> {
    private final DecoderModel model;
    private final ScalarHeads heads;
    private final float[] table;
    private final int k;

    /**
     * Creates the objective.
     *
     * @param model a model created or loaded with {@code heads.modelHead()}
     * @param heads the K cluster heads
     * @param responsibilities {@code [user row][cluster]}, rows over the batch's {@code UserIndex},
     *     each summing to 1 (copied)
     */
    public ResponsibilityPairsStep(
            DecoderModel model, ScalarHeads heads, double[][] responsibilities) {
        this.model = model;
        this.heads = heads;
        this.k = heads.heads();
        this.table = new float[responsibilities.length * k];
        for (int u = 0; u < responsibilities.length; u++) {
            Checks.argument(
                    responsibilities[u].length == k,
                    "ResponsibilityPairsStep: a responsibility row has the wrong width;"
                            + " expected K columns");
            for (int j = 0; j < k; j++) {
                table[u * k + j] = (float) responsibilities[u][j];
            }
        }
    }

    @Override
    public StepResult compute(UserPairBatch batch, StepContext ctx) {
        PairBatch p = batch.pairs();
        NDArray r = heads.read(model, p.inputIds(), p.attentionMask());
        long b = p.pairs();
        long[] users = batch.userRows().toLongArray();
        float[] rho = new float[(int) b * k];
        for (int i = 0; i < b; i++) {
            System.arraycopy(table, (int) users[i] * k, rho, i * k, k);
        }
        HeadPair pair =
                HeadPair.of(r.get("0:" + b), r.get(b + ":"))
                        .withResponsibilities(
                                p.inputIds().getManager().create(rho, new Shape(b, k)));
        PreferenceOutput out = new ResponsibilityBt().apply(pair, p.weight(), Reduction.SUM);
        MetricBag bag = PreferenceMetrics.addTo(new MetricBag(), HostArrays.of(out.probability()));
        return new StepResult(
                out.loss(), p.weight().sum().getFloat(), bag, p.ids(), p.realTokens());
    }
}
