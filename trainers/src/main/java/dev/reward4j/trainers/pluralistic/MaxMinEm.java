package dev.reward4j.trainers.pluralistic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.UserIndex;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.data.UserPairCollator;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.inmemory.CyclingSource;
import dev.reward4j.trainers.inmemory.ShortRun;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.optim.Gradients;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MaxMin-RLHF's expectation-maximisation over users: K reward heads on one backbone ({@link
 * ScalarHeads}), every user assigned to the cluster whose head explains the user's comparisons
 * best.
 *
 * <ol>
 *   <li>Start from a random assignment of users to clusters (seeded).
 *   <li>M-step: train the heads with {@link ResponsibilityPairsStep}, each pair counting for its
 *       user's cluster only ({@link ShortRun} of {@code stepsPerRound} steps).
 *   <li>E-step: the log-likelihood \( L_{uk} = \sum_{(x, y_c, y_r) \in D_u} \log\sigma(r_k(x, y_c)
 *       - r_k(x, y_r)) \) of every user's pairs under every head; each user moves to \( \arg\max_k
 *       L_{uk} \) (hard assignment).
 *   <li>Repeat until no user moves or {@code rounds} rounds ran.
 * </ol>
 *
 * <p>A user's reward is then the head of its cluster; a new user is assigned by the E-step on its
 * comparisons ({@link #assign}). MaxMin-RLHF's second part, the egalitarian policy objective \(
 * \max_\pi \min_k \mathbb{E}[r_k] \), is a policy-optimisation step outside reward-model training.
 */
public final class MaxMinEm {
    private MaxMinEm() {}

    /**
     * EM settings.
     *
     * @param rounds most EM rounds, {@code >= 1}
     * @param run the M-step training run of each round
     * @param batchSize pairs per micro-batch
     * @param seed seed of the initial assignment and the data order
     */
    public record Settings(int rounds, ShortRun run, int batchSize, long seed) {
        /** Validates the settings. */
        public Settings {
            Checks.positive(rounds, "MaxMinEm.rounds");
            Checks.positive(batchSize, "MaxMinEm.batchSize");
        }
    }

    /**
     * The outcome.
     *
     * @param users the users, in row order
     * @param assignment cluster of every user row
     * @param logLikelihood {@code [user row][cluster]} log-likelihood after the last M-step
     * @param rounds EM rounds run
     * @param moved users that changed cluster in each round's E-step
     */
    public record Result(
            UserIndex users,
            int[] assignment,
            double[][] logLikelihood,
            int rounds,
            List<Integer> moved) {}

    /**
     * Runs EM.
     *
     * @param model a model with {@code heads.modelHead()} (trained in place)
     * @param heads the K cluster heads
     * @param train training pairs, each with a user id
     * @param padding collation padding
     * @param settings EM settings
     * @return the assignment and diagnostics
     */
    public static Result run(
            DecoderModel model,
            ScalarHeads heads,
            List<TokenizedPair> train,
            Padding padding,
            Settings settings) {
        UserIndex users = UserIndex.ofPairs(train);
        int k = heads.heads();
        SplittableRandom rng = new SplittableRandom(settings.seed());
        int[] assignment = new int[users.size()];
        for (int u = 0; u < assignment.length; u++) {
            assignment[u] = rng.nextInt(k);
        }
        UserPairCollator collator = new UserPairCollator(padding, users);
        List<Integer> moved = new ArrayList<>();
        double[][] ll = null;
        int round = 0;
        while (round < settings.rounds()) {
            round++;
            ResponsibilityPairsStep objective =
                    new ResponsibilityPairsStep(model, heads, oneHot(assignment, k));
            settings.run()
                    .train(
                            model.manager(),
                            model.parameters(),
                            objective,
                            new CyclingSource<>(
                                    train,
                                    settings.batchSize(),
                                    collator::collate,
                                    settings.seed() + round,
                                    true),
                            null,
                            (phase, step, values) -> {});
            ll = logLikelihood(model, heads, users, train, padding, settings.batchSize());
            int[] next = assign(ll);
            int changes = 0;
            for (int u = 0; u < next.length; u++) {
                changes += next[u] != assignment[u] ? 1 : 0;
            }
            moved.add(changes);
            assignment = next;
            if (changes == 0) {
                break;
            }
        }
        return new Result(users, assignment, ll, round, List.copyOf(moved));
    }

    /**
     * The E-step statistics: \( L_{uk} = \sum \log\sigma(d_k) \) over each user's pairs.
     *
     * @param model the model (grad mode off here)
     * @param heads the K heads
     * @param users the users (every pair's user must be known)
     * @param pairs the pairs
     * @param padding collation padding
     * @param batchSize pairs per forward
     * @return {@code [user row][cluster]}
     */
    public static double[][] logLikelihood(
            DecoderModel model,
            ScalarHeads heads,
            UserIndex users,
            List<TokenizedPair> pairs,
            Padding padding,
            int batchSize) {
        int k = heads.heads();
        double[][] ll = new double[users.size()][k];
        UserPairCollator collator = new UserPairCollator(padding, users);
        Gradients.withGradModeOff(
                () -> {
                    for (int s = 0; s < pairs.size(); s += batchSize) {
                        List<TokenizedPair> chunk =
                                pairs.subList(s, Math.min(pairs.size(), s + batchSize));
                        try (NDManager m = model.manager().newSubManager();
                                UserPairBatch batch = collator.collate(chunk, m)) {
                            double[][] d = margins(model, heads, batch.pairs());
                            long[] rows = batch.userRows().toLongArray();
                            for (int i = 0; i < d.length; i++) {
                                for (int j = 0; j < k; j++) {
                                    ll[(int) rows[i]][j] += logSigmoid(d[i][j]);
                                }
                            }
                        }
                    }
                    return null;
                });
        return ll;
    }

    /**
     * Per-head reward margins \( d_k = r_k(y_c) - r_k(y_r) \) of a pair batch.
     *
     * @param model the model
     * @param heads the K heads
     * @param batch the pairs
     * @return {@code [pair][head]}
     */
    public static double[][] margins(DecoderModel model, ScalarHeads heads, PairBatch batch) {
        NDArray r = heads.read(model, batch.inputIds(), batch.attentionMask());
        long b = batch.pairs();
        double[] d = HostArrays.of(r.get("0:" + b).sub(r.get(b + ":")));
        int k = heads.heads();
        double[][] out = new double[(int) b][k];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(d, i * k, (i + 1) * k);
        }
        return out;
    }

    /**
     * Hard assignment: the cluster of largest log-likelihood per user (the lowest index on ties).
     *
     * @param logLikelihood {@code [user][cluster]}
     * @return cluster per user
     */
    public static int[] assign(double[][] logLikelihood) {
        int[] out = new int[logLikelihood.length];
        for (int u = 0; u < out.length; u++) {
            int best = 0;
            for (int j = 1; j < logLikelihood[u].length; j++) {
                best = logLikelihood[u][j] > logLikelihood[u][best] ? j : best;
            }
            out[u] = best;
        }
        return out;
    }

    private static double[][] oneHot(int[] assignment, int k) {
        double[][] r = new double[assignment.length][k];
        for (int u = 0; u < assignment.length; u++) {
            r[u][assignment[u]] = 1;
        }
        return r;
    }

    private static double logSigmoid(double x) {
        return -(Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
    }
}
