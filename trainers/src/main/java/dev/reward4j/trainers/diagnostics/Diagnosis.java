package dev.reward4j.trainers.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.RowBlocks;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.core.model.TokenStatistics;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.run.CollatedSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The diagnostics of a policy on a file of preference pairs, pair by pair (the library side of
 * {@code reward4j diagnose}): the policy's (and the reference's) summed response log-probs, the
 * ranking and idealized ranking verdicts, CHES and length-normalised CHES, and the mean top-k
 * entropy and mass over each response's tokens; and the mean chosen and rejected log-probs of
 * several checkpoints for a displacement trajectory. Every forward runs with grad mode off, batch
 * by batch, with one host copy per batch.
 */
public final class Diagnosis {
    private Diagnosis() {}

    /**
     * The diagnostics of one pair.
     *
     * @param id pair id
     * @param source file and line
     * @param policyChosen summed policy log-prob of the chosen response
     * @param policyRejected of the rejected response
     * @param referenceChosen summed reference log-prob of the chosen response (NaN without one)
     * @param referenceRejected of the rejected response (NaN without one)
     * @param rankingCorrect whether the policy gives the chosen response the higher likelihood
     * @param idealizedCorrect 1 or 0: whether the ideal DPO policy ranks the pair correctly (NaN
     *     without a reference)
     * @param ches the CHES score
     * @param chesLengthNormalized the length-normalised CHES score
     * @param topKEntropyChosen mean top-k entropy over the chosen response's tokens
     * @param topKEntropyRejected over the rejected response's tokens
     * @param topKMassChosen mean top-k probability mass over the chosen response's tokens
     * @param topKMassRejected over the rejected response's tokens
     * @param tokensChosen response tokens of the chosen sequence
     * @param tokensRejected response tokens of the rejected sequence
     */
    public record PairValues(
            String id,
            String source,
            double policyChosen,
            double policyRejected,
            double referenceChosen,
            double referenceRejected,
            boolean rankingCorrect,
            double idealizedCorrect,
            double ches,
            double chesLengthNormalized,
            double topKEntropyChosen,
            double topKEntropyRejected,
            double topKMassChosen,
            double topKMassRejected,
            int tokensChosen,
            int tokensRejected) {}

    /**
     * Means over the pairs.
     *
     * @param pairs number of pairs
     * @param rankingAccuracy share of pairs the policy ranks correctly (strict)
     * @param idealizedRankingAccuracy share the ideal DPO policy ranks correctly (NaN without a
     *     reference)
     * @param logpsChosen mean summed policy log-prob of the chosen responses
     * @param logpsRejected of the rejected responses
     * @param ches mean CHES
     * @param chesStd its population standard deviation
     * @param chesLengthNormalized mean length-normalised CHES
     * @param topKEntropy mean top-k entropy over every response token
     * @param topKMass mean top-k mass over every response token
     */
    public record Summary(
            int pairs,
            double rankingAccuracy,
            double idealizedRankingAccuracy,
            double logpsChosen,
            double logpsRejected,
            double ches,
            double chesStd,
            double chesLengthNormalized,
            double topKEntropy,
            double topKMass) {
        /** Idealized minus observed ranking accuracy (NaN without a reference). */
        public double alignmentGap() {
            return idealizedRankingAccuracy - rankingAccuracy;
        }
    }

    /**
     * Diagnoses every pair.
     *
     * @param policy the policy (LM head)
     * @param reference the reference, or null (no idealized ranking)
     * @param options top-k, preference probability and beta
     * @param pairs the tokenized pairs, in file order
     * @param collate builds a batch (use the training padding)
     * @param batchSize pairs per forward
     * @return one value record per pair, in order
     */
    public static List<PairValues> pairs(
            DecoderModel policy,
            FrozenReference reference,
            PairDiagnostics options,
            List<TokenizedPair> pairs,
            BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate,
            int batchSize) {
        Checks.positive(batchSize, "diagnose: batch size");
        List<PairValues> out = new ArrayList<>(pairs.size());
        Gradients.withGradModeOff(
                () -> {
                    for (List<TokenizedPair> chunk : CollatedSource.chunks(pairs, batchSize)) {
                        try (NDManager m = policy.manager().newSubManager();
                                PairBatch b = collate.apply(chunk, m)) {
                            out.addAll(batch(policy, reference, options, chunk, b));
                        }
                    }
                    return null;
                });
        return out;
    }

    private static List<PairValues> batch(
            DecoderModel policy,
            FrozenReference reference,
            PairDiagnostics options,
            List<TokenizedPair> chunk,
            PairBatch b) {
        TokenStatistics stats =
                policy.tokenStatistics(b.inputIds(), b.attentionMask(), options.topK());
        NDList sums =
                RowBlocks.halves(SequenceLogps.of(stats.tokenLogps(), b.responseMask()).sum());
        NDArray refC = null;
        NDArray refR = null;
        if (reference != null) {
            NDList ref =
                    RowBlocks.halves(reference.chosenAndRejected(b, b.inputIds().getManager()));
            refC = ref.get(0);
            refR = ref.get(1);
        }
        List<NDArray> rows = new ArrayList<>();
        rows.add(sums.get(0));
        rows.add(sums.get(1));
        NDArray nan =
                sums.get(0).getManager().full(sums.get(0).getShape(), Float.NaN, DataType.FLOAT32);
        rows.add(refC == null ? nan : refC);
        rows.add(refR == null ? nan : refR);
        rows.addAll(options.rows(stats, b, refC, refR));
        double[][] v = read(rows);
        List<PairValues> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            TokenizedPair p = chunk.get(i);
            double nc = v[10][i];
            double nr = v[11][i];
            out.add(
                    new PairValues(
                            p.id(),
                            p.source().toString(),
                            v[0][i],
                            v[1][i],
                            v[2][i],
                            v[3][i],
                            v[0][i] > v[1][i],
                            v[12][i],
                            v[4][i],
                            v[5][i],
                            v[6][i] / Math.max(nc, 1),
                            v[7][i] / Math.max(nr, 1),
                            v[8][i] / Math.max(nc, 1),
                            v[9][i] / Math.max(nr, 1),
                            (int) nc,
                            (int) nr));
        }
        return out;
    }

    /**
     * The mean summed log-probs of the chosen and the rejected responses under {@code model} (one
     * point of a displacement trajectory).
     *
     * @return {@code {mean chosen, mean rejected}}
     */
    public static double[] meanLogps(
            DecoderModel model,
            List<TokenizedPair> pairs,
            BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate,
            int batchSize) {
        Checks.argument(!pairs.isEmpty(), "diagnose: no pairs to average over");
        double[] total = new double[2];
        Gradients.withGradModeOff(
                () -> {
                    for (List<TokenizedPair> chunk : CollatedSource.chunks(pairs, batchSize)) {
                        try (NDManager m = model.manager().newSubManager();
                                PairBatch b = collate.apply(chunk, m)) {
                            NDList s =
                                    RowBlocks.halves(
                                            SequenceLogps.of(
                                                            model.tokenLogps(
                                                                    b.inputIds(),
                                                                    b.attentionMask()),
                                                            b.responseMask())
                                                    .sum());
                            double[][] v = read(List.of(s.get(0).sum(), s.get(1).sum()));
                            total[0] += v[0][0];
                            total[1] += v[1][0];
                        }
                    }
                    return null;
                });
        return new double[] {total[0] / pairs.size(), total[1] / pairs.size()};
    }

    /** Means over {@code values} (see {@link Summary}). */
    public static Summary summarize(List<PairValues> values) {
        int n = values.size();
        double rank = 0;
        double ideal = 0;
        boolean hasIdeal = n > 0;
        double lc = 0;
        double lr = 0;
        double s = 0;
        double ss = 0;
        double ln = 0;
        double ent = 0;
        double mass = 0;
        double tokens = 0;
        for (PairValues p : values) {
            rank += p.rankingCorrect() ? 1 : 0;
            if (Double.isNaN(p.idealizedCorrect())) {
                hasIdeal = false;
            } else {
                ideal += p.idealizedCorrect();
            }
            lc += p.policyChosen();
            lr += p.policyRejected();
            s += p.ches();
            ss += p.ches() * p.ches();
            ln += p.chesLengthNormalized();
            ent +=
                    p.topKEntropyChosen() * p.tokensChosen()
                            + p.topKEntropyRejected() * p.tokensRejected();
            mass +=
                    p.topKMassChosen() * p.tokensChosen()
                            + p.topKMassRejected() * p.tokensRejected();
            tokens += p.tokensChosen() + p.tokensRejected();
        }
        double mean = s / n;
        return new Summary(
                n,
                rank / n,
                hasIdeal ? ideal / n : Double.NaN,
                lc / n,
                lr / n,
                mean,
                Math.sqrt(Math.max(0, ss / n - mean * mean)),
                ln / n,
                ent / Math.max(tokens, 1),
                mass / Math.max(tokens, 1));
    }

    /** Host copies of several arrays in one device-to-host transfer. */
    private static double[][] read(List<NDArray> arrays) {
        NDList doubles = new NDList(arrays.size());
        try {
            for (NDArray a : arrays) {
                doubles.add(a.toType(DataType.FLOAT64, true).reshape(-1));
            }
            double[] flat;
            try (NDArray joined = NDArrays.concat(doubles)) {
                flat = joined.toDoubleArray();
            }
            double[][] out = new double[arrays.size()][];
            int at = 0;
            for (int i = 0; i < out.length; i++) {
                int size = Math.toIntExact(doubles.get(i).size());
                out[i] = java.util.Arrays.copyOfRange(flat, at, at + size);
                at += size;
            }
            return out;
        } finally {
            doubles.close();
        }
    }
}
