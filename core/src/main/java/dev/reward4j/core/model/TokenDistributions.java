package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-token statistics of a policy against a reference over the full vocabulary, for token-level
 * objectives (TDPO, SparsePO): the policy and reference log-prob of every response token and the
 * token KL \( D_{KL}(\pi_{ref}(\cdot|s_t)\,\|\,\pi_\theta(\cdot|s_t)) \), each {@code (N, T)} in
 * the layout of {@link DecoderModel#tokenLogps} (entry t belongs to token t; 0 at t = 0 and off the
 * response mask).
 *
 * <p><b>Memory.</b> {@link #chunked} never holds more than one {@code (chunk x V)} block of logits
 * per model: the statistics are computed chunk by chunk over the response tokens with autograd off,
 * and the gradient is injected afterwards by {@link #gradient}: given the loss gradient \(
 * g^{lp}_{n,t} \) and \( g^{kl}_{n,t} \) with respect to the token log-probs and token KLs, the
 * gradient with respect to the policy logits of token t is \( g^{lp}(e_{y_t} - p_\theta) +
 * g^{kl}(p_\theta - p_{ref}) \), recomputed chunk by chunk and pushed through the LM head as \( A =
 * G W \) (to the hidden states) and \( B = G^\top h \) (to the head weight). The returned surrogate
 * \( \sum h \odot A + \sum W \odot B \) (minus its value) carries exactly that gradient, so peak
 * native memory grows with {@code chunk x V + T x H}, not with {@code T x V}. {@link
 * #fullVocabulary} is the direct autograd form (all {@code T x V} logits alive until backward),
 * kept as the reference for tests and benchmarks.
 *
 * <p>Both models must compute in float32 (the logits are formed from {@link
 * DecoderModel#hiddenStates} and {@link DecoderModel#lmHeadWeight()} directly). Results are
 * attached to the manager of the input ids.
 */
public final class TokenDistributions {
    private final NDArray policyLogps;
    private final NDArray referenceLogps;
    private final NDArray kl;
    // chunked mode only: what the gradient pass needs
    private final Selection sel;
    private final NDArray hidden; // (M, H) policy hidden states of the predicting positions (graph)
    private final NDArray referenceHidden; // (M, H) constant
    private final NDArray weight; // (V, H) policy LM head (parameter)
    private final NDArray referenceWeight; // (V, H) constant
    private final int chunk;

    private TokenDistributions(
            NDArray policyLogps,
            NDArray referenceLogps,
            NDArray kl,
            Selection sel,
            NDArray hidden,
            NDArray referenceHidden,
            NDArray weight,
            NDArray referenceWeight,
            int chunk) {
        this.policyLogps = policyLogps;
        this.referenceLogps = referenceLogps;
        this.kl = kl;
        this.sel = sel;
        this.hidden = hidden;
        this.referenceHidden = referenceHidden;
        this.weight = weight;
        this.referenceWeight = referenceWeight;
        this.chunk = chunk;
    }

    /** Policy log-prob of every response token {@code (N, T)} (detached in chunked mode). */
    public NDArray policyLogps() {
        return policyLogps;
    }

    /** Reference log-prob of every response token {@code (N, T)}, detached. */
    public NDArray referenceLogps() {
        return referenceLogps;
    }

    /** Token KL(reference || policy) {@code (N, T)} (detached in chunked mode). */
    public NDArray kl() {
        return kl;
    }

    /** The response positions (flat indices into {@code (N, T-1)} predicting positions). */
    private record Selection(int n, int t, int[] flat, NDArray index, NDArray targets) {
        int size() {
            return flat.length;
        }
    }

    /**
     * Chunked statistics (see the class description). Values are detached; call {@link #gradient}
     * in training to obtain the differentiable surrogate.
     *
     * @param policy the trained LM-head model
     * @param reference the frozen reference LM-head model (same vocabulary)
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T)
     * @param responseMask (N, T), 1 on response tokens
     * @param chunkTokens response tokens per chunk, &ge; 1
     * @return the statistics, attached to {@code inputIds}' manager
     */
    public static TokenDistributions chunked(
            DecoderModel policy,
            DecoderModel reference,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray responseMask,
            int chunkTokens) {
        if (chunkTokens < 1) {
            throw new IllegalArgumentException(
                    "TokenDistributions: chunkTokens (" + chunkTokens + ") must be >= 1");
        }
        checkVocab(policy, reference);
        Selection sel = select(inputIds, attentionMask, responseMask);
        NDArray h = flatten(policy.hiddenStates(inputIds, attentionMask)).get(sel.index());
        NDArray hr =
                flatten(reference.hiddenStates(inputIds, attentionMask).stopGradient())
                        .get(sel.index());
        NDArray w = policy.lmHeadWeight();
        NDArray wr = reference.lmHeadWeight().stopGradient();
        int m = sel.size();
        NDManager mgr = inputIds.getManager();
        float[] lp = new float[m];
        float[] lr = new float[m];
        float[] k = new float[m];
        NDArray hd = h.stopGradient();
        NDArray wd = w.stopGradient();
        for (int from = 0; from < m; from += chunkTokens) {
            int to = Math.min(m, from + chunkTokens);
            try (NDScope ignored = new NDScope()) {
                NDIndex rows = new NDIndex(from + ":" + to);
                NDArray targets = sel.targets().get(rows).expandDims(-1);
                NDArray logp = hd.get(rows).matMul(wd.transpose()).logSoftmax(-1);
                NDArray logr = hr.get(rows).matMul(wr.transpose()).logSoftmax(-1);
                float[] a = logp.gather(targets, -1).toType(DataType.FLOAT32, false).toFloatArray();
                float[] b = logr.gather(targets, -1).toType(DataType.FLOAT32, false).toFloatArray();
                float[] c =
                        logr.exp()
                                .mul(logr.sub(logp))
                                .sum(new int[] {-1})
                                .toType(DataType.FLOAT32, false)
                                .toFloatArray();
                System.arraycopy(a, 0, lp, from, a.length);
                System.arraycopy(b, 0, lr, from, b.length);
                System.arraycopy(c, 0, k, from, c.length);
            }
        }
        return new TokenDistributions(
                scatter(mgr, sel, lp),
                scatter(mgr, sel, lr),
                scatter(mgr, sel, k),
                sel,
                h,
                hr,
                w,
                wr,
                chunkTokens);
    }

    /**
     * The direct autograd form: full {@code (M, V)} logits of both models, differentiable policy
     * log-probs and KL (reference for tests and benchmarks; memory grows with tokens x vocabulary).
     *
     * @param policy the trained LM-head model
     * @param reference the frozen reference LM-head model
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T)
     * @param responseMask (N, T)
     * @return the statistics; {@link #policyLogps()} and {@link #kl()} keep autograd
     */
    public static TokenDistributions fullVocabulary(
            DecoderModel policy,
            DecoderModel reference,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray responseMask) {
        checkVocab(policy, reference);
        select(inputIds, attentionMask, responseMask); // shape checks
        NDIndex predicting = new NDIndex(":, :-1");
        NDArray h = policy.hiddenStates(inputIds, attentionMask).get(predicting);
        NDArray hr = reference.hiddenStates(inputIds, attentionMask).stopGradient().get(predicting);
        NDArray logp = h.matMul(policy.lmHeadWeight().transpose()).logSoftmax(-1);
        NDArray logr =
                hr.matMul(reference.lmHeadWeight().stopGradient().transpose()).logSoftmax(-1);
        NDIndex next = new NDIndex(":, 1:");
        NDArray targets = inputIds.get(next).toType(DataType.INT64, false).expandDims(-1);
        NDArray valid =
                responseMask
                        .get(next)
                        .neq(0)
                        .logicalAnd(attentionMask.get(next).neq(0))
                        .toType(logp.getDataType(), false);
        NDArray first =
                inputIds.getManager()
                        .zeros(new Shape(inputIds.getShape().get(0), 1), logp.getDataType());
        NDArray lp = first.concat(logp.gather(targets, -1).squeeze(-1).mul(valid), 1);
        NDArray lr = first.concat(logr.gather(targets, -1).squeeze(-1).mul(valid), 1);
        NDArray k = first.concat(logr.exp().mul(logr.sub(logp)).sum(new int[] {-1}).mul(valid), 1);
        return new TokenDistributions(lp, lr.stopGradient(), k, null, null, null, null, null, 0);
    }

    /**
     * The gradient surrogate of the chunked statistics: a scalar whose value is 0 and whose
     * gradient with respect to the policy parameters equals that of \( \sum_{n,t}
     * g^{lp}_{n,t}\,\mathrm{logp}_{n,t} + g^{kl}_{n,t}\,\mathrm{kl}_{n,t} \). Call with autograd
     * recording on (inside the training step's gradient collector) and add it to the loss value.
     *
     * @param gradLogps \( g^{lp} \) {@code (N, T)} (entries off the response mask are ignored)
     * @param gradKl \( g^{kl} \) {@code (N, T)}
     * @return the zero-valued surrogate scalar, attached to the manager of the hidden states
     */
    public NDArray gradient(NDArray gradLogps, NDArray gradKl) {
        if (sel == null) {
            throw new IllegalStateException(
                    "TokenDistributions.gradient: only the chunked statistics need a surrogate;"
                            + " the full-vocabulary form keeps autograd");
        }
        int m = sel.size();
        NDArray gl = gatherSelected(gradLogps);
        NDArray gk = gatherSelected(gradKl);
        NDArray hd = hidden.stopGradient();
        NDArray wd = weight.stopGradient();
        long v = wd.getShape().get(0);
        NDArray a = hd.zerosLike();
        NDArray b = wd.zerosLike();
        for (int from = 0; from < m; from += chunk) {
            int to = Math.min(m, from + chunk);
            try (NDScope ignored = new NDScope()) {
                NDIndex rows = new NDIndex(from + ":" + to);
                NDArray hc = hd.get(rows);
                NDArray p = hc.matMul(wd.transpose()).softmax(-1);
                NDArray pr =
                        referenceHidden.get(rows).matMul(referenceWeight.transpose()).softmax(-1);
                NDArray onehot =
                        sel.targets().get(rows).oneHot((int) v).toType(p.getDataType(), false);
                NDArray g =
                        onehot.sub(p)
                                .mul(gl.get(rows).expandDims(-1))
                                .add(p.sub(pr).mul(gk.get(rows).expandDims(-1)));
                a.set(rows, g.matMul(wd));
                b.addi(g.transpose().matMul(hc));
            }
        }
        NDArray s = hidden.mul(a).sum().add(b.mul(weight).sum());
        return s.sub(s.stopGradient());
    }

    private NDArray gatherSelected(NDArray perToken) {
        return perToken.get(new NDIndex(":, 1:"))
                .reshape(-1)
                .get(sel.index())
                .toType(hidden.getDataType(), false)
                .stopGradient();
    }

    private static void checkVocab(DecoderModel policy, DecoderModel reference) {
        if (policy.config().vocabSize() != reference.config().vocabSize()) {
            throw new IllegalArgumentException(
                    "TokenDistributions: policy vocabulary ("
                            + policy.config().vocabSize()
                            + ") differs from the reference vocabulary ("
                            + reference.config().vocabSize()
                            + "); expected one tokenizer for both models");
        }
    }

    /** Response positions t >= 1 (mask and response 1) as flat indices p = n (T-1) + (t-1). */
    private static Selection select(NDArray ids, NDArray mask, NDArray response) {
        Shape s = ids.getShape();
        int n = (int) s.get(0);
        int t = (int) s.get(1);
        if (!response.getShape().equals(s) || !mask.getShape().equals(s)) {
            throw new IllegalArgumentException(
                    "TokenDistributions: responseMask "
                            + response.getShape()
                            + " and attentionMask "
                            + mask.getShape()
                            + " must have the inputIds shape "
                            + s);
        }
        float[] r = response.toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = mask.toType(DataType.FLOAT32, false).toFloatArray();
        int count = 0;
        int[] tmp = new int[n * Math.max(t - 1, 0)];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < t; j++) {
                if (r[i * t + j] != 0 && a[i * t + j] != 0) {
                    tmp[count++] = i * (t - 1) + (j - 1);
                }
            }
        }
        int[] flat = java.util.Arrays.copyOf(tmp, count);
        NDManager mgr = ids.getManager();
        long[] idx = new long[count];
        for (int i = 0; i < count; i++) {
            idx[i] = flat[i];
        }
        NDArray index = mgr.create(idx);
        NDArray targets =
                ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false).reshape(-1).get(index);
        return new Selection(n, t, flat, index, targets);
    }

    /** (N, T, H) -> (N (T-1), H): the predicting positions 0..T-2. */
    private static NDArray flatten(NDArray h) {
        Shape s = h.getShape();
        return h.get(new NDIndex(":, :-1")).reshape(s.get(0) * (s.get(1) - 1), s.get(2));
    }

    /** Host scatter of selected values into (N, T) float32, token t = predicting position + 1. */
    private static NDArray scatter(NDManager mgr, Selection sel, float[] values) {
        float[] out = new float[sel.n() * sel.t()];
        for (int i = 0; i < values.length; i++) {
            int p = sel.flat()[i];
            int row = p / (sel.t() - 1);
            int col = p % (sel.t() - 1) + 1;
            out[row * sel.t() + col] = values[i];
        }
        return mgr.create(out, new Shape(sel.n(), sel.t()));
    }
}
