package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.losses.ListwiseObjective.AllPairsBt;
import dev.reward4j.losses.ListwiseObjective.LipoLambda;
import dev.reward4j.losses.ListwiseObjective.ListNet;
import dev.reward4j.losses.ListwiseObjective.PlackettLuce;
import dev.reward4j.losses.ListwiseObjective.Pro;

/**
 * Listwise objectives over variable-length lists: Plackett-Luce / ListMLE, ListNet, LiPO-lambda,
 * PRO and all-pairs BT ({@link ListwiseObjective}).
 *
 * <p><b>Shapes.</b> {@code scores}, {@code labels} and {@code itemMask} are {@code (B, K)}: list b
 * has K slots, padded slots have mask 0; {@code weight} is {@code (B)}. Scores are differentiable
 * (e.g. reward-model scores, or \( \beta(\log\pi_\theta - \log\pi_{ref}) \) summed over tokens for
 * LiPO, per-token mean policy log-probs for PRO); labels and masks are constants. Every list must
 * have at least two valid items (checked on the host); use a zero list weight to drop a whole list.
 * Results are attached to the manager of {@code scores}.
 *
 * <p><b>Numerics.</b> All pair and suffix structures are built from {@code (B, K, K)} comparison
 * matrices (no sort or gather, O(K^2) memory). Log-sum-exps subtract the (detached) row maximum and
 * mask with a finite additive {@code -Float.MAX_VALUE}, never {@code -inf}, so masked items get an
 * exact zero gradient and a fully masked row stays finite. \( -\log\sigma \) is {@code softplus}.
 *
 * <p><b>References.</b> Plackett-Luce / ListMLE: "Listwise Approach to Learning to Rank: Theory and
 * Algorithm", ICML 2008. ListNet: "Learning to Rank: From Pairwise Approach to Listwise Approach",
 * ICML 2007. LiPO: "LiPO: Listwise Preference Optimization through Learning-to-Rank", arXiv
 * 2402.01878, eq. 8. PRO: "Preference Ranking Optimization for Human Alignment", arXiv 2306.17492,
 * eqs. 5-8 (the SFT term of PRO is the trainer's business). All-pairs BT: "Training language models
 * to follow instructions with human feedback", arXiv 2203.02155, eq. 1.
 *
 * <p><b>Structure.</b> Each objective record's {@code apply} calls its own public function here;
 * {@link #compute} is the generic entry point and delegates to the record.
 */
public final class ListwiseLosses {
    private ListwiseLosses() {}

    public static ListwiseOutput compute(
            ListwiseObjective objective,
            NDArray scores,
            NDArray labels,
            NDArray itemMask,
            NDArray weight,
            Reduction reduction) {
        if (objective == null || reduction == null) {
            throw LossChecks.bad(
                    "listwise",
                    "objective or reduction is missing",
                    "null",
                    "expected both non-null");
        }
        return objective.apply(scores, labels, itemMask, weight, reduction);
    }

    /**
     * Plackett-Luce (see {@link PlackettLuce}). Result attached to the manager of {@code scores}.
     *
     * @param scores model scores {@code (B, K)}
     * @param labels gold labels {@code (B, K)}, higher is better
     * @param itemMask {@code (B, K)} 1 for real items, or null
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code scores}
     */
    public static ListwiseOutput plackettLuce(
            NDArray scores, NDArray labels, NDArray itemMask, NDArray weight, Reduction reduction) {
        Pairs p = pairs("plackett-luce", scores, labels, itemMask, weight, reduction);
        return p.output(plackettLuce(p), weight, reduction);
    }

    /**
     * ListNet (see {@link ListNet}). Result attached to the manager of {@code scores}.
     *
     * @param scores model scores {@code (B, K)}
     * @param labels gold labels {@code (B, K)}, higher is better
     * @param itemMask {@code (B, K)} 1 for real items, or null
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code scores}
     */
    public static ListwiseOutput listNet(
            NDArray scores,
            NDArray labels,
            NDArray itemMask,
            ListNet objective,
            NDArray weight,
            Reduction reduction) {
        Pairs p = pairs(objective.name(), scores, labels, itemMask, weight, reduction);
        return p.output(listNet(p, objective.labelTemperature()), weight, reduction);
    }

    /**
     * LiPO-lambda (see {@link LipoLambda}). Result attached to the manager of {@code scores}.
     *
     * @param scores model scores {@code (B, K)}
     * @param labels gold labels {@code (B, K)}, higher is better
     * @param itemMask {@code (B, K)} 1 for real items, or null
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code scores}
     */
    public static ListwiseOutput lipoLambda(
            NDArray scores, NDArray labels, NDArray itemMask, NDArray weight, Reduction reduction) {
        Pairs p = pairs("lipo-lambda", scores, labels, itemMask, weight, reduction);
        return p.output(lipoLambda(p), weight, reduction);
    }

    /**
     * PRO (see {@link Pro}). Result attached to the manager of {@code scores}.
     *
     * @param scores model scores {@code (B, K)}
     * @param labels gold labels {@code (B, K)}, higher is better
     * @param itemMask {@code (B, K)} 1 for real items, or null
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code scores}
     */
    public static ListwiseOutput pro(
            NDArray scores, NDArray labels, NDArray itemMask, NDArray weight, Reduction reduction) {
        Pairs p = pairs("pro", scores, labels, itemMask, weight, reduction);
        return p.output(pro(p), weight, reduction);
    }

    /**
     * All-pairs BT (see {@link AllPairsBt}). Result attached to the manager of {@code scores}.
     *
     * @param scores model scores {@code (B, K)}
     * @param labels gold labels {@code (B, K)}, higher is better
     * @param itemMask {@code (B, K)} 1 for real items, or null
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code scores}
     */
    public static ListwiseOutput allPairsBt(
            NDArray scores, NDArray labels, NDArray itemMask, NDArray weight, Reduction reduction) {
        Pairs p = pairs("all-pairs-bt", scores, labels, itemMask, weight, reduction);
        NDArray perList = Numerics.divByCount(pairSum(p, p.better), p.better.sum(new int[] {1, 2}));
        return p.output(perList, weight, reduction);
    }

    /** Validates the inputs and builds the pair structures. */
    private static Pairs pairs(
            String c,
            NDArray scores,
            NDArray labels,
            NDArray itemMask,
            NDArray weight,
            Reduction reduction) {
        if (reduction == null) {
            throw LossChecks.bad(c, "reduction is missing", "null", "expected a Reduction");
        }
        LossChecks.floating(c, "scores", scores, 2, "(B, K): one score per list item");
        Shape s = scores.getShape();
        LossChecks.floating(c, "labels", labels);
        LossChecks.sameShape(c, "labels", labels, "scores", s);
        LossChecks.sameDtype(c, "labels", labels, "scores", scores);
        LossChecks.optional(c, "itemMask", itemMask, "scores", s, scores.getDataType());
        LossChecks.optional(
                c, "weight", weight, "scores rows", new Shape(s.get(0)), scores.getDataType());
        DataType dt = scores.getDataType();
        NDArray m =
                itemMask == null
                        ? scores.onesLike().stopGradient()
                        : Numerics.asFloat(itemMask, dt);
        checkValidItems(c, m);
        return new Pairs(scores, Numerics.asFloat(labels, dt), m);
    }

    /** Pair structures of a batch; index convention {@code [b, i, j]}. */
    private static final class Pairs {
        final NDArray s; // (B, K) scores, differentiable
        final NDArray y; // (B, K) labels, constant
        final NDArray m; // (B, K) item mask, constant
        final NDArray valid; // (B, K, K) both items valid
        final NDArray better; // (B, K, K) valid and y_i > y_j
        final NDArray diff; // (B, K, K) s_i - s_j, differentiable
        final NDArray eye; // (K, K) identity in the score dtype
        final NDArray later; // (K, K) j >= i (position tie-break)

        Pairs(NDArray s, NDArray y, NDArray m) {
            this.s = s;
            this.y = y;
            this.m = m;
            DataType dt = s.getDataType();
            NDManager mgr = s.getManager();
            long k = s.getShape().get(1);
            valid = m.expandDims(2).mul(m.expandDims(1));
            better = Numerics.greater(y.expandDims(2), y.expandDims(1)).mul(valid);
            diff = s.expandDims(2).sub(s.expandDims(1));
            eye = mgr.eye((int) k).toType(dt, false);
            NDArray idx = mgr.arange(0f, (float) k, 1f).toType(dt, false);
            later = idx.reshape(1, k).gte(idx.reshape(k, 1)).toType(dt, false);
        }

        /** Loss, per-list values and the pair accuracy of the lists. */
        ListwiseOutput output(NDArray perList, NDArray weight, Reduction reduction) {
            NDArray correct = better.mul(Numerics.greater(diff, diff.zerosLike()));
            NDArray accuracy =
                    Numerics.divByCount(
                            correct.sum(new int[] {1, 2}), better.sum(new int[] {1, 2}));
            return new ListwiseOutput(
                    reduction.reduce(perList, weight == null ? null : weight.stopGradient()),
                    perList.stopGradient(),
                    accuracy.stopGradient(),
                    m.sum(new int[] {1}));
        }
    }

    /** \( \sum_i m_i [\mathrm{lse}_{j \succeq i}(s_j) - s_i] \). */
    private static NDArray plackettLuce(Pairs p) {
        NDArray y = p.y;
        NDArray tie =
                y.expandDims(2).eq(y.expandDims(1)).toType(y.getDataType(), false).mul(p.later);
        NDArray suffix = p.better.add(tie.mul(p.valid)); // [b, i, j]: j at or after i, both valid
        NDArray lse = Numerics.maskedLogSumExp(p.s.expandDims(1), suffix, 2);
        return lse.sub(p.s).mul(p.m).sum(new int[] {1});
    }

    /** \( -\sum_i P_i \log Q_i \), P = masked softmax(y / tau), Q = masked softmax(s). */
    private static NDArray listNet(Pairs p, double temperature) {
        double big = Numerics.maskMagnitude(p.s.getDataType());
        NDArray pad = p.m.sub(scalar(p.s, 1)).mul(scalar(p.s, big));
        NDArray target = p.y.div(scalar(p.s, temperature)).add(pad).softmax(1);
        NDArray logQ = p.s.add(pad).logSoftmax(1);
        return logQ.mul(target.mul(p.m)).sum(new int[] {1}).neg();
    }

    /**
     * \( \sum_{y_i > y_j} \Delta_{ij}\,\mathrm{softplus}(-(s_i - s_j)) \) with LambdaRank weights.
     */
    private static NDArray lipoLambda(Pairs p) {
        NDArray sd = p.s.stopGradient();
        NDArray ahead =
                Numerics.greater(sd.expandDims(1), sd.expandDims(2)); // [b, i, j]: s_j > s_i
        // ties in score: the earlier position ranks first ([j < i] = 1 - later)
        NDArray tieAhead =
                sd.expandDims(1)
                        .eq(sd.expandDims(2))
                        .toType(sd.getDataType(), false)
                        .mul(p.later.neg().add(scalar(p.s, 1)));
        NDArray rank =
                ahead.add(tieAhead)
                        .mul(p.valid)
                        .sum(new int[] {2})
                        .add(scalar(p.s, 1)); // (B, K), 1-based
        NDArray invDiscount = rank.onesLike().div(rank.add(scalar(p.s, 1)).log2());
        NDArray gain = p.y.mul(scalar(p.s, Math.log(2))).exp().sub(scalar(p.s, 1));
        NDArray delta =
                gain.expandDims(2)
                        .sub(gain.expandDims(1))
                        .abs()
                        .mul(invDiscount.expandDims(2).sub(invDiscount.expandDims(1)).abs());
        return pairSum(p, p.better.mul(delta));
    }

    /**
     * PRO with reward-difference temperatures (see {@link Pro}): each lower item's score is
     * multiplied by its label gap \( y_k - y_i \) (the inverse temperature \( 1/T_k^i \)), the
     * anchor's score by the largest gap. Index {@code [b, k, i]}.
     */
    private static NDArray pro(Pairs p) {
        NDArray lower = p.better; // [b, k, i]: valid and y_k > y_i
        // 1/T_ki = y_k - y_i on lower pairs, else 0
        NDArray gap = p.y.expandDims(2).sub(p.y.expandDims(1)).mul(lower);
        NDArray hasLower = lower.max(new int[] {2}); // (B, K): 1 if k has a strictly lower item
        // 1/T_kk = 1 / min_i T_ki = the largest gap over lower items (gaps > 0); 0 when none
        NDArray anchor = gap.max(new int[] {2}).mul(hasLower);
        NDArray w = gap.add(p.eye.mul(anchor.expandDims(2)));
        NDArray set = lower.add(p.eye.mul(hasLower.expandDims(2)));
        NDArray lse = Numerics.maskedLogSumExp(p.s.expandDims(1).mul(w), set, 2);
        return lse.sub(p.s.mul(anchor)).mul(hasLower).sum(new int[] {1});
    }

    /** \( \sum_{ij} W_{ij}\,\mathrm{softplus}(-(s_i - s_j)) \) per list. */
    private static NDArray pairSum(Pairs p, NDArray weights) {
        return Numerics.negLogSigmoid(p.diff).mul(weights).sum(new int[] {1, 2});
    }

    private static void checkValidItems(String c, NDArray m) {
        if (m.getShape().get(0) == 0) {
            return;
        }
        double[] counts = m.sum(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] < 2) {
                throw LossChecks.bad(
                        c,
                        "list " + b + " has fewer than two valid items",
                        (long) counts[b] + " valid",
                        "expected >= 2 valid items per list (itemMask row sum >= 2). Drop the list"
                                + " or give it weight 0 with a dummy pair");
            }
        }
    }
}
