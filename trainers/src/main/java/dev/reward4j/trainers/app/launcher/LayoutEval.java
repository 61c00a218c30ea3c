package dev.reward4j.trainers.app.launcher;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PreferenceStrength;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.ReadPositions;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.HeadReadout;
import dev.reward4j.trainers.ScoredResponse;
import dev.reward4j.trainers.arm.AutoregressiveRewardPairsStep;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.ensemble.PairDiagnostics;
import dev.reward4j.trainers.eval.PairRewards;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.metrics.Auroc;
import dev.reward4j.trainers.metrics.HostArrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Held-out evaluation of a model with a {@link HeadLayout} or of an ensemble directory: the pair
 * batches of the training path are read by {@link HeadReadout} as the layout's objective reads
 * them. The held-out rewards are the layout's rewards (an ensemble's aggregate, a MaxMin user's
 * cluster head, a PAL-A user's reward, GenARM's {@code beta_r} log-probs); a model without a scalar
 * reward (GPM, mixture) is evaluated on the log-odds of its preference probability (chosen = \(
 * \mathrm{logit}\,P \), rejected = 0), so accuracy, NLL and calibration are those of \( P \). An
 * ensemble adds the uncertainty metrics of {@link #extraMetrics()}.
 */
final class LayoutEval implements AutoCloseable {
    private final HeadLayout layout;
    private final DecoderModel model;
    private final RewardEnsemble ensemble;
    private final HeadReadout readout;
    private final Map<String, String> users = new HashMap<>();
    private final List<double[]> memberMargins = new ArrayList<>();
    private final List<Boolean> correct = new ArrayList<>();
    private final List<String> pairIds = new ArrayList<>();
    private final String aggregation;

    /** File of the per-pair ensemble diagnostics in the results directory. */
    static final String PAIRS_FILE = "heldout-ensemble.jsonl";

    private LayoutEval(
            HeadLayout layout, DecoderModel model, RewardEnsemble ensemble, HeadReadout readout) {
        this.layout = layout;
        this.model = model;
        this.ensemble = ensemble;
        this.readout = readout;
        this.aggregation = aggregation(readout);
    }

    private static String aggregation(HeadReadout readout) {
        return readout.aggregation().name();
    }

    /**
     * The evaluation of the model in {@code dir}, or empty for a plain reward model (evaluated by
     * the training rewards).
     */
    static Optional<LayoutEval> open(
            Path dir, Path tokenizerDir, ModelOptions options, EnsembleAggregation aggregation) {
        if (RewardEnsemble.isEnsemble(dir)) {
            RewardEnsemble e = RewardModels.loadEnsemble(dir, options);
            HeadLayout layout = new HeadLayout.EnsembleHeads(e.size());
            DecoderModel first = e.models().get(0);
            return Optional.of(
                    new LayoutEval(
                            layout, first, e, new HeadReadout(layout, dir, first, aggregation)));
        }
        Optional<HeadLayout> read;
        try {
            read = HeadLayout.read(dir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model: " + e.getMessage(), e);
        }
        if (read.isEmpty()) {
            return Optional.empty();
        }
        HeadLayout layout = read.get();
        DecoderModel m =
                layout instanceof HeadLayout.Autoregressive
                        ? DecoderModel.load(dir, ModelHead.LM, options)
                        : RewardModels.load(dir, tokenizerDir, options);
        try {
            return Optional.of(
                    new LayoutEval(layout, m, null, new HeadReadout(layout, dir, m, aggregation)));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The model whose manager holds the batches. */
    DecoderModel model() {
        return model;
    }

    /** The run-record line of the reward. */
    String rewardFact() {
        if (ensemble != null) {
            return "ensemble of " + ensemble.size() + " members, " + aggregation + " aggregate";
        }
        if (readout.readsPromptEnd()) {
            return layout.kind() + " " + layout.values() + ": log-odds of P(chosen > rejected)";
        }
        return layout.kind() + " " + layout.values() + ": the layout's reward";
    }

    /** Remembers the pairs' users (per-user layouts read them by pair id). */
    void users(List<TokenizedPair> pairs) {
        pairs.forEach(p -> p.userId().ifPresent(u -> users.put(p.id(), u)));
    }

    /** The held-out rewards of a batch. */
    PairRewards rewards() {
        return this::rewards;
    }

    private NDArray rewards(PairBatch b) {
        int n = b.pairs();
        double[][] columns = columns(b);
        List<String> who = new ArrayList<>(2 * n);
        for (int side = 0; side < 2; side++) {
            for (int i = 0; i < n; i++) {
                who.add(users.get(b.ids().get(i)));
            }
        }
        List<ScoredResponse> r = readout.read(columns, who);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            ScoredResponse c = r.get(i);
            ScoredResponse j = r.get(n + i);
            if (readout.readsPromptEnd()) {
                // the objective's probability (a mixture's sum_k w_k sigma(d_k) is not the sigma
                // of its weighted reward margin)
                double p = readout.probability(c, j, b.inputIds().getManager());
                p = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
                out[i] = (float) Math.log(p / (1 - p));
            } else if (c.reward().isPresent() && j.reward().isPresent()) {
                out[i] = (float) c.reward().getAsDouble();
                out[n + i] = (float) j.reward().getAsDouble();
            } else {
                throw new ConfigException(
                        "--data: pair "
                                + b.ids().get(i)
                                + " has no reward under the "
                                + layout.kind()
                                + " model (its user_id is missing or not one of the model's"
                                + " users); expected every pair of a per-user model to name a"
                                + " known user");
            }
            if (ensemble != null || layout instanceof HeadLayout.EnsembleHeads) {
                double[] rc = (double[]) c.outputs().get("rewards");
                double[] rr = (double[]) j.outputs().get("rewards");
                double[] d = new double[rc.length];
                for (int k = 0; k < d.length; k++) {
                    d[k] = rc[k] - rr[k];
                }
                memberMargins.add(d);
                correct.add(out[i] > out[n + i]);
                pairIds.add(b.ids().get(i));
            }
        }
        return b.inputIds().getManager().create(out);
    }

    /** The raw columns of the batch's 2B rows as the layout reads them. */
    private double[][] columns(PairBatch b) {
        NDArray raw;
        if (ensemble != null) {
            raw = ensemble.memberRewards(b.inputIds(), b.attentionMask());
        } else if (layout instanceof HeadLayout.Autoregressive a) {
            raw =
                    AutoregressiveRewardPairsStep.sequenceLogps(model, b)
                            .mul(b.inputIds().getManager().create((float) a.betaR()))
                            .reshape(-1, 1);
        } else if (readout.readsPromptEnd()) {
            long rows = 2L * b.pairs();
            NDArray index = ReadPositions.rows(b.inputIds(), rows);
            NDArray out =
                    model.scoresAt(
                            b.inputIds(),
                            b.attentionMask(),
                            index.concat(index),
                            b.lastIndex().concat(ReadPositions.promptEnd(b.responseMask())));
            raw = out.get("0:" + rows).concat(out.get(rows + ":"), 1);
        } else {
            raw = model.scores(b.inputIds(), b.attentionMask());
        }
        double[] flat = HostArrays.of(raw);
        int rows = 2 * b.pairs();
        int width = flat.length / rows;
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    /**
     * Ensemble metrics over the evaluated pairs (empty for other layouts): {@code
     * ensemble/uncertainty_auroc} (how well the pair uncertainty \( 1/(1+|z|) \) of the member
     * margins ranks wrong pairs above right ones), {@code ensemble/uncertainty_right} and {@code
     * ensemble/uncertainty_wrong} (its means), {@code ensemble/disagreement} (mean fraction of
     * members against the members' mean preference) and {@code ensemble/split_pairs} (fraction of
     * pairs on which the members do not all agree).
     */
    Map<String, Double> extraMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (memberMargins.isEmpty()) {
            return m;
        }
        Diagnostics d = diagnostics();
        double[] u = d.uncertainty();
        double[] disagreement = d.disagreement();
        int split = 0;
        for (double v : disagreement) {
            split += v > 0 ? 1 : 0;
        }
        boolean[] wrong = new boolean[u.length];
        double right = 0;
        double bad = 0;
        int nWrong = 0;
        for (int i = 0; i < u.length; i++) {
            wrong[i] = !correct.get(i);
            if (wrong[i]) {
                bad += u[i];
                nWrong++;
            } else {
                right += u[i];
            }
        }
        m.put("ensemble/uncertainty_auroc", Auroc.of(u, wrong));
        m.put(
                "ensemble/uncertainty_right",
                u.length > nWrong ? right / (u.length - nWrong) : Double.NaN);
        m.put("ensemble/uncertainty_wrong", nWrong > 0 ? bad / nWrong : Double.NaN);
        m.put("ensemble/disagreement", Arrays.stream(disagreement).average().orElse(Double.NaN));
        m.put("ensemble/split_pairs", (double) split / u.length);
        return m;
    }

    /**
     * Writes {@value #PAIRS_FILE} into {@code dir} for an ensemble (nothing otherwise): per pair
     * its id, whether the aggregate orders it correctly, the strength (mean and std over members of
     * the member reward margins), the uncertainty \( 1/(1+|z|) \) and the fraction of members
     * against the members' mean preference.
     */
    void writePairs(Path dir) throws java.io.IOException {
        if (memberMargins.isEmpty()) {
            return;
        }
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        Diagnostics d = diagnostics();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < pairIds.size(); i++) {
            lines.add(
                    json.createObjectNode()
                            .put("id", pairIds.get(i))
                            .put("correct", correct.get(i))
                            .put("strength_mean", d.strengths().get(i).mean())
                            .put("strength_std", d.strengths().get(i).std())
                            .put("uncertainty", d.uncertainty()[i])
                            .put("disagreement", d.disagreement()[i])
                            .toString());
        }
        java.nio.file.Files.write(dir.resolve(PAIRS_FILE), lines);
    }

    /** Per-pair strengths, uncertainty and disagreement of the member margins. */
    private record Diagnostics(
            List<PreferenceStrength> strengths, double[] uncertainty, double[] disagreement) {}

    private Diagnostics diagnostics() {
        List<PreferenceStrength> strengths = new ArrayList<>();
        double[] disagreement = new double[memberMargins.size()];
        for (int i = 0; i < memberMargins.size(); i++) {
            double[] d = memberMargins.get(i);
            PreferenceStrength s = PreferenceStrength.of(d);
            strengths.add(s);
            int against = 0;
            for (double v : d) {
                against += Math.signum(v) != Math.signum(s.mean()) ? 1 : 0;
            }
            disagreement[i] = (double) against / d.length;
        }
        double[] u =
                new PairDiagnostics(
                                java.util.Collections.nCopies(strengths.size(), ""),
                                new double[strengths.size()],
                                strengths,
                                disagreement)
                        .uncertainty();
        return new Diagnostics(strengths, u, disagreement);
    }

    @Override
    public void close() {
        readout.close();
        if (ensemble != null) {
            ensemble.close();
        } else {
            model.close();
        }
    }
}
