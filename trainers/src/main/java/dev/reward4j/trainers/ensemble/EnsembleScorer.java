package dev.reward4j.trainers.ensemble;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PreferenceStrength;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.heads.EnsembleScores;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores with a reward-model ensemble: per response the member rewards, the aggregate and the
 * uncertainty ({@link EnsembleScores}); per pair the aggregate margin, the preference strength
 * (mean and std of the member reward differences) and the member disagreement ({@link
 * PairDiagnostics}). Runs with grad mode off.
 */
public final class EnsembleScorer {
    private final RewardEnsemble ensemble;
    private final EnsembleAggregation aggregation;

    /**
     * Creates the scorer.
     *
     * @param ensemble the ensemble
     * @param aggregation how member rewards combine
     */
    public EnsembleScorer(RewardEnsemble ensemble, EnsembleAggregation aggregation) {
        this.ensemble = ensemble;
        this.aggregation = aggregation;
    }

    /**
     * Scores every row of a pair batch (chosen rows, then rejected rows).
     *
     * @param batch the pairs
     * @return the scores of the {@code 2B} rows
     */
    public EnsembleScores score(PairBatch batch) {
        return EnsembleScores.of(memberRewards(batch), aggregation);
    }

    /**
     * Pair diagnostics of a batch.
     *
     * @param batch the pairs
     * @return aggregate margins, strengths and disagreement
     */
    public PairDiagnostics pairs(PairBatch batch) {
        double[][] r = memberRewards(batch);
        int b = batch.pairs();
        int k = ensemble.size();
        double[] margin = new double[b];
        double[] disagree = new double[b];
        List<PreferenceStrength> strength = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            double[] d = new double[k];
            for (int j = 0; j < k; j++) {
                d[j] = r[i][j] - r[b + i][j];
            }
            PreferenceStrength s = PreferenceStrength.of(d);
            strength.add(s);
            margin[i] = aggregation.apply(r[i]) - aggregation.apply(r[b + i]);
            int against = 0;
            for (double x : d) {
                against += Math.signum(x) != Math.signum(s.mean()) ? 1 : 0;
            }
            disagree[i] = (double) against / k;
        }
        return new PairDiagnostics(batch.ids(), margin, strength, disagree);
    }

    /**
     * The preference strength of every pair (Secrets of RLHF II), in batches.
     *
     * @param pairs tokenized pairs
     * @param padding collation padding
     * @param batchSize pairs per forward
     * @param parent manager whose sub-managers hold each batch (on the ensemble's device)
     * @return strength by pair id, in input order
     */
    public Map<String, PreferenceStrength> strengths(
            List<TokenizedPair> pairs, Padding padding, int batchSize, NDManager parent) {
        PairCollator collator = new PairCollator(padding);
        Map<String, PreferenceStrength> out = new LinkedHashMap<>();
        for (int s = 0; s < pairs.size(); s += batchSize) {
            List<TokenizedPair> chunk = pairs.subList(s, Math.min(pairs.size(), s + batchSize));
            try (NDManager m = parent.newSubManager();
                    PairBatch batch = collator.collate(chunk, m)) {
                PairDiagnostics d = pairs(batch);
                for (int i = 0; i < chunk.size(); i++) {
                    out.put(chunk.get(i).id(), d.strength().get(i));
                }
            }
        }
        return out;
    }

    private double[][] memberRewards(PairBatch batch) {
        return Gradients.withGradModeOff(
                () -> {
                    double[] flat =
                            HostArrays.of(
                                    ensemble.memberRewards(
                                            batch.inputIds(), batch.attentionMask()));
                    int k = ensemble.size();
                    double[][] out = new double[flat.length / k][k];
                    for (int i = 0; i < out.length; i++) {
                        System.arraycopy(flat, i * k, out[i], 0, k);
                    }
                    return out;
                });
    }
}
