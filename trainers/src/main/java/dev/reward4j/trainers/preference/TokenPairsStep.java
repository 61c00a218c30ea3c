package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.TokenDistributions;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.PairwiseOutput;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.TokenPairLogps;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.losses.TokenWeights;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.PairwiseMetrics;

/**
 * Token-level preference objectives (TDPO1, TDPO2, SparsePO) on a {@link PairBatch}: policy and
 * frozen reference run over the 2B rows, and the per-token log-probs and full-vocabulary token KL
 * come from {@link TokenDistributions}.
 *
 * <p><b>Chunked mode</b> (default): the statistics are computed {@code chunkTokens} response tokens
 * at a time with autograd off; in training the loss is evaluated on leaf copies of them, a nested
 * backward gives its gradient with respect to every token statistic (and learned mask weight), and
 * {@link TokenDistributions#gradient} pushes that gradient through the LM head chunk by chunk. The
 * returned loss has the loss value and exactly the gradient of the direct form, while no more than
 * one {@code (chunk x V)} block of logits per model is alive. <b>Full mode</b> keeps the direct
 * autograd form (for comparisons).
 *
 * <p>Metrics: implicit-reward accuracy, chosen/rejected rewards and margin (as the loss defines
 * them), summed policy log-probs and the policy ranking accuracy.
 */
public final class TokenPairsStep implements TrainingStep<PairBatch> {
    private final DecoderModel policy;
    private final DecoderModel reference;
    private final TokenPreferenceObjective loss;
    private final TokenMaskSource masks;
    private final int chunkTokens;

    /**
     * Creates the objective.
     *
     * @param policy the trained LM-head model
     * @param reference the frozen reference LM-head model (its parameters never require gradients)
     * @param loss TDPO1, TDPO2 or SparsePO
     * @param masks token masks (required by SparsePO, whose loss reports a missing mask; ignored by
     *     TDPO), or null
     * @param chunkTokens response tokens per vocabulary chunk (&ge; 1), or 0 for the full mode
     */
    public TokenPairsStep(
            DecoderModel policy,
            DecoderModel reference,
            TokenPreferenceObjective loss,
            TokenMaskSource masks,
            int chunkTokens) {
        Checks.argument(
                chunkTokens >= 0,
                () -> "token objective: chunkTokens (" + chunkTokens + "); expected >= 0");
        this.policy = policy;
        this.reference = reference;
        this.loss = loss;
        this.masks = masks;
        this.chunkTokens = chunkTokens;
        reference.setTrainable(false);
    }

    @Override
    public StepResult compute(PairBatch batch, StepContext ctx) {
        NDArray ids = batch.inputIds();
        NDArray mask = batch.attentionMask();
        NDArray resp = batch.responseMask();
        boolean chunked = chunkTokens > 0;
        TokenDistributions stats =
                chunked
                        ? TokenDistributions.chunked(
                                policy, reference, ids, mask, resp, chunkTokens)
                        : TokenDistributions.fullVocabulary(policy, reference, ids, mask, resp);
        NDArray w = masks == null ? null : masks.weights(policy, reference, ids, mask, resp);
        NDArray respF = resp.toType(DataType.FLOAT32, false);
        boolean inject = chunked && ctx.training();
        NDArray lp = inject ? LeafGradients.leaf(stats.policyLogps()) : stats.policyLogps();
        NDArray kl = inject ? LeafGradients.leaf(stats.kl()) : stats.kl();
        NDArray wl = w == null ? null : (inject ? LeafGradients.leaf(w) : w);
        PairwiseOutput out =
                loss.apply(
                        inputs(lp, stats.referenceLogps(), kl, respF, wl),
                        batch.weight(),
                        Reduction.SUM);
        NDArray total = out.loss();
        if (inject) {
            NDArray[] g =
                    wl == null
                            ? LeafGradients.of(out.loss(), lp, kl)
                            : LeafGradients.of(out.loss(), lp, kl, wl);
            NDArray surrogate = stats.gradient(g[0], g[1]);
            if (wl != null) {
                NDArray s = w.mul(g[2]).sum();
                surrogate = surrogate.add(s.sub(s.stopGradient()));
            }
            total = out.loss().stopGradient().add(surrogate);
        }
        MetricBag bag = new MetricBag();
        double[] c = HostArrays.of(out.chosenReward());
        double[] r = HostArrays.of(out.rejectedReward());
        NDList sums =
                RowBlocks.split(
                        stats.policyLogps().stopGradient().mul(respF).sum(new int[] {1}), 2);
        double[] pc = HostArrays.of(sums.get(0));
        double[] pr = HostArrays.of(sums.get(1));
        if (HostArrays.allFinite(c, r, pc, pr)) {
            PairwiseMetrics.addTo(bag, c, r);
            PairwiseMetrics.addPolicyTo(bag, pc, pr);
        }
        return new StepResult(
                total, HostArrays.sum(batch.weight()), bag, batch.ids(), batch.realTokens());
    }

    private static TokenPairLogps inputs(
            NDArray lp, NDArray lr, NDArray kl, NDArray resp, NDArray w) {
        NDList p = RowBlocks.split(lp, 2);
        NDList r = RowBlocks.split(lr, 2);
        NDList k = RowBlocks.split(kl, 2);
        NDList m = RowBlocks.split(resp, 2);
        TokenPairLogps t =
                new TokenPairLogps(
                        p.get(0), p.get(1), r.get(0), r.get(1), k.get(0), k.get(1), m.get(0),
                        m.get(1), null);
        if (w == null) {
            return t;
        }
        NDList ws = RowBlocks.split(w, 2);
        return t.withWeights(TokenWeights.common(ws.get(0), ws.get(1)));
    }
}
