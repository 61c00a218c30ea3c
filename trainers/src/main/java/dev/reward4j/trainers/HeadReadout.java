package dev.reward4j.trainers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.heads.EnsembleScores;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.heads.UserTable;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.losses.EmbeddingPair;
import dev.reward4j.losses.PreferenceEmbeddingLosses;
import dev.reward4j.trainers.eval.PaddedSequences;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.pluralistic.UserClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Turns a model's raw score columns into {@link ScoredResponse}s by its {@link HeadLayout}, and
 * pairs of them into preference probabilities, exactly as the layout's training objective reads
 * them: mixture and GPM columns at the last attended token followed by the columns at the prompt's
 * last token ({@link #readsPromptEnd()}), the others at the model's pooling position. Holds the
 * per-user state the layout needs (MaxMin clusters, PAL-A prototypes and user weights), read from
 * the model directory. {@link RewardScorer} reads texts with it; held-out evaluation reads collated
 * pair batches with it.
 */
public final class HeadReadout implements AutoCloseable {
    private final HeadLayout layout;
    private final DecoderModel model;
    private final EnsembleAggregation aggregation;
    private final UserClusters.Assignment clusters;
    private final IdealPointParameters idealPoints;
    private final UserTable routing;
    private final Map<String, double[]> hostTables = new java.util.HashMap<>();

    /**
     * Creates the readout.
     *
     * @param layout the model's layout, or null for a plain reward model
     * @param modelDir the model directory (per-user files of {@code maxmin} and {@code pal})
     * @param model the loaded model (its manager holds the PAL-A parameters)
     * @param aggregation how {@code ensemble-heads} members combine into the reward
     */
    public HeadReadout(
            HeadLayout layout, Path modelDir, DecoderModel model, EnsembleAggregation aggregation) {
        this.layout = layout;
        this.model = model;
        this.aggregation = aggregation;
        this.clusters =
                layout instanceof HeadLayout.UserClusters ? UserClusters.read(modelDir) : null;
        this.idealPoints =
                layout instanceof HeadLayout.IdealPoints
                        ? IdealPointParameters.load(modelDir, model.manager())
                        : null;
        this.routing =
                layout instanceof HeadLayout.Mixture
                                && Files.isRegularFile(
                                        modelDir.resolve(MixtureHead.USER_BIAS + ".safetensors"))
                        ? UserTable.load(modelDir, MixtureHead.USER_BIAS, model.manager())
                        : null;
    }

    /** How {@code ensemble-heads} members combine into the reward. */
    public EnsembleAggregation aggregation() {
        return aggregation;
    }

    /**
     * True when the layout reads columns at the response end and at the prompt end ({@code
     * mixture}, {@code gpm}): {@link #read} then takes {@code 2C} values per response, the columns
     * at the last attended token followed by those at the prompt's last token.
     */
    public boolean readsPromptEnd() {
        return layout instanceof HeadLayout.Mixture
                || layout instanceof HeadLayout.PreferenceEmbedding;
    }

    /**
     * The columns at the last attended token followed by the columns at the prompt's last token:
     * {@code (N, 2C)} (call with grad mode off).
     */
    double[][] endColumns(List<TokenizedSequence> seqs, int padId, NDManager parent) {
        int n = seqs.size();
        long[] rows = new long[2 * n];
        long[] positions = new long[2 * n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            rows[n + i] = i;
            positions[i] = seqs.get(i).length() - 1;
            positions[n + i] = Math.max(seqs.get(i).promptLength() - 1, 0);
        }
        return PaddedSequences.scores(
                seqs,
                padId,
                (ids, mask) -> {
                    NDManager m = ids.getManager();
                    NDArray out = model.scoresAt(ids, mask, m.create(rows), m.create(positions));
                    return out.get("0:" + n).concat(out.get(n + ":"), 1);
                },
                parent);
    }

    /**
     * The responses' readouts.
     *
     * @param columns per response: the columns at the pooling position, or when {@link
     *     #readsPromptEnd()} the columns at the last attended token and at the prompt's last token
     * @param users per response: its user id or null
     * @return one readout per response
     */
    public List<ScoredResponse> read(double[][] columns, List<String> users) {
        List<ScoredResponse> out = new ArrayList<>(columns.length);
        for (int i = 0; i < columns.length; i++) {
            out.add(read(columns[i], users.get(i)));
        }
        return out;
    }

    private ScoredResponse read(double[] c, String user) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (layout == null || layout instanceof HeadLayout.Autoregressive) {
            if (c.length > 1) {
                o.put("rewards", c.clone());
            }
            return new ScoredResponse(OptionalDouble.of(c[0]), o);
        }
        if (layout instanceof HeadLayout.EnsembleHeads) {
            EnsembleScores s = EnsembleScores.of(new double[][] {c}, aggregation);
            o.put("rewards", c.clone());
            o.put("uncertainty", new double[] {s.uncertainty()[0]});
            return new ScoredResponse(OptionalDouble.of(s.aggregate()[0]), o);
        }
        if (layout instanceof HeadLayout.Mixture m) {
            int k = m.heads();
            double[] rewards = Arrays.copyOfRange(c, 0, k);
            double[] logits = Arrays.copyOfRange(c, 2 * k + k, 2 * k + 2 * k);
            double[] bias = userRow(routing, user);
            if (bias != null) {
                for (int j = 0; j < k; j++) {
                    logits[j] += bias[j];
                }
            }
            double[] weights = softmax(logits);
            double r = 0;
            for (int j = 0; j < k; j++) {
                r += weights[j] * rewards[j];
            }
            o.put("rewards", rewards);
            o.put("weights", weights);
            return new ScoredResponse(OptionalDouble.of(r), o);
        }
        if (layout instanceof HeadLayout.UserClusters) {
            o.put("rewards", c.clone());
            OptionalInt cluster = user == null ? OptionalInt.empty() : clusters.clusterOf(user);
            if (cluster.isPresent()) {
                o.put("cluster", cluster.getAsInt());
                return new ScoredResponse(OptionalDouble.of(c[cluster.getAsInt()]), o);
            }
            return new ScoredResponse(OptionalDouble.of(Arrays.stream(c).min().orElseThrow()), o);
        }
        if (layout instanceof HeadLayout.IdealPoints p) {
            o.put("embedding", c.clone());
            double[] ideal = idealPoint(user);
            if (ideal == null) {
                return new ScoredResponse(OptionalDouble.empty(), o);
            }
            double d = 0;
            for (int j = 0; j < c.length; j++) {
                d += (c[j] - ideal[j]) * (c[j] - ideal[j]);
            }
            return new ScoredResponse(OptionalDouble.of(-d / p.tau()), o);
        }
        HeadLayout.PreferenceEmbedding g = (HeadLayout.PreferenceEmbedding) layout;
        int cols = g.head().columns();
        double[] e = Arrays.copyOfRange(c, 0, 2 * g.k());
        double norm = 0;
        for (double v : e) {
            norm += v * v;
        }
        norm = Math.sqrt(norm + PreferenceEmbeddingLosses.NORM_EPSILON);
        for (int j = 0; j < e.length; j++) {
            e[j] /= norm;
        }
        o.put("embedding", e);
        if (g.gated()) {
            o.put("gate_logits", Arrays.copyOfRange(c, cols + 2 * g.k(), cols + cols));
        }
        return new ScoredResponse(OptionalDouble.empty(), o);
    }

    /**
     * \( P(\text{chosen} \succ \text{rejected}) \) of one pair of readouts of the same prompt and
     * user (call with grad mode off).
     *
     * @param chosen the chosen response's readout
     * @param rejected the rejected response's readout
     * @param manager parent of a scratch manager (GPM)
     * @return the probability, {@code NaN} where the model has no reward for the pair
     */
    public double probability(ScoredResponse chosen, ScoredResponse rejected, NDManager manager) {
        if (layout instanceof HeadLayout.Mixture) {
            double[] w = chosen.vector("weights");
            double[] rc = chosen.vector("rewards");
            double[] rr = rejected.vector("rewards");
            double p = 0;
            for (int j = 0; j < w.length; j++) {
                p += w[j] * sigmoid(rc[j] - rr[j]);
            }
            return p;
        }
        if (layout instanceof HeadLayout.PreferenceEmbedding g) {
            try (NDManager m = manager.newSubManager()) {
                int d = 2 * g.k();
                EmbeddingPair pair =
                        EmbeddingPair.of(
                                m.create(toFloat(chosen.vector("embedding")), new Shape(1, d)),
                                m.create(toFloat(rejected.vector("embedding")), new Shape(1, d)));
                if (g.gated()) {
                    pair =
                            pair.withGate(
                                    m.create(
                                            toFloat(chosen.vector("gate_logits")),
                                            new Shape(1, g.k())));
                }
                double s = HostArrays.of(PreferenceEmbeddingLosses.preferenceScore(pair))[0];
                return sigmoid(s / g.tau());
            }
        }
        if (chosen.reward().isEmpty() || rejected.reward().isEmpty()) {
            return Double.NaN;
        }
        return sigmoid(chosen.reward().getAsDouble() - rejected.reward().getAsDouble());
    }

    /**
     * The row of {@code user} in {@code table}, or null (no table, no user, unknown user). The
     * tables are frozen while a readout reads them: their host copies are made once.
     */
    private double[] userRow(UserTable table, String user) {
        if (table == null || user == null || table.users().row(user).isEmpty()) {
            return null;
        }
        double[] all = hostTables.computeIfAbsent(table.name(), n -> HostArrays.of(table.table()));
        int w = table.width();
        int row = table.users().rowOf(user);
        return Arrays.copyOfRange(all, row * w, (row + 1) * w);
    }

    private double[] idealPoint(String user) {
        double[] logits = userRow(idealPoints == null ? null : idealPoints.users(), user);
        if (logits == null) {
            return null;
        }
        int k = idealPoints.prototypeCount();
        double[] w = softmax(logits);
        double[] proto =
                hostTables.computeIfAbsent(
                        IdealPointParameters.PROTOTYPES,
                        n -> HostArrays.of(idealPoints.prototypes()));
        int d = proto.length / k;
        double[] a = new double[d];
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++) {
                a[t] += w[j] * proto[j * d + t];
            }
        }
        return a;
    }

    private static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElse(0);
        double[] e = new double[z.length];
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            s += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= s;
        }
        return e;
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Closes the PAL-A parameters and the routing biases (the model stays open). */
    @Override
    public void close() {
        if (routing != null) {
            routing.close();
        }
        if (idealPoints != null) {
            idealPoints.close();
        }
    }
}
