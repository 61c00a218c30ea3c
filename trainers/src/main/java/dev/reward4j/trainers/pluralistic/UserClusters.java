package dev.reward4j.trainers.pluralistic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.UserIndex;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The users' clusters of MaxMin-RLHF's EM ({@link MaxMinEm}) as a mutable assignment: a seeded
 * random start, the hard E-step on the users' training pairs ({@link #expectationStep}) and the
 * file {@value HeadLayout.UserClusters#USERS_FILE} that a checkpoint and a saved model carry. Users
 * without training pairs (known only from held-out data) keep uniform responsibilities and are
 * written with cluster {@code -1}.
 */
public final class UserClusters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final UserIndex users;
    private final boolean[] trained;
    private final int clusters;
    private final int[] assignment;
    private final List<Integer> moved = new ArrayList<>();

    private UserClusters(UserIndex users, boolean[] trained, int clusters, int[] assignment) {
        this.users = users;
        this.trained = trained;
        this.clusters = clusters;
        this.assignment = assignment;
    }

    /**
     * The seeded random start.
     *
     * @param users every user (training and held-out)
     * @param train the training pairs (their users are the trained ones)
     * @param clusters K {@code >= 1}
     * @param seed seed of the start
     * @return the assignment
     */
    public static UserClusters random(
            UserIndex users, Collection<TokenizedPair> train, int clusters, long seed) {
        Checks.positive(clusters, "UserClusters.clusters");
        boolean[] trained = trainedUsers(users, train);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] a = new int[users.size()];
        for (int u = 0; u < a.length; u++) {
            a[u] = rng.nextInt(clusters);
        }
        return new UserClusters(users, trained, clusters, a);
    }

    /** The users, in row order. */
    public UserIndex users() {
        return users;
    }

    /** Number of clusters K. */
    public int clusters() {
        return clusters;
    }

    /** The cluster of every user row ({@code -1}: no training pairs). */
    public int[] assignment() {
        int[] out = assignment.clone();
        for (int u = 0; u < out.length; u++) {
            out[u] = trained[u] ? out[u] : -1;
        }
        return out;
    }

    /** Users moved by each E-step so far (in this process). */
    public List<Integer> moved() {
        return List.copyOf(moved);
    }

    /**
     * One-hot responsibilities of trained users, uniform ones of the others ({@code [user][k]}).
     */
    public double[][] responsibilities() {
        double[][] r = new double[assignment.length][clusters];
        for (int u = 0; u < r.length; u++) {
            if (trained[u]) {
                r[u][assignment[u]] = 1;
            } else {
                java.util.Arrays.fill(r[u], 1.0 / clusters);
            }
        }
        return r;
    }

    /**
     * The hard E-step: every trained user moves to the head of largest log-likelihood of its
     * training pairs ({@link MaxMinEm#logLikelihood}).
     *
     * @param model the model (grad mode off inside)
     * @param heads the K heads
     * @param train the training pairs
     * @param padding collation padding
     * @param batchSize pairs per forward
     * @return users that changed cluster
     */
    public int expectationStep(
            DecoderModel model,
            ScalarHeads heads,
            List<TokenizedPair> train,
            Padding padding,
            int batchSize) {
        int[] next =
                MaxMinEm.assign(
                        MaxMinEm.logLikelihood(model, heads, users, train, padding, batchSize));
        int changes = 0;
        for (int u = 0; u < next.length; u++) {
            if (trained[u] && next[u] != assignment[u]) {
                assignment[u] = next[u];
                changes++;
            }
        }
        moved.add(changes);
        return changes;
    }

    /**
     * Writes {@value HeadLayout.UserClusters#USERS_FILE}: {@code {"clusters": K, "users": {id:
     * cluster}}}.
     *
     * @param dir target directory
     */
    public void save(Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("clusters", clusters);
        ObjectNode map = o.putObject("users");
        int[] a = assignment();
        for (int u = 0; u < a.length; u++) {
            map.put(users.users().get(u), a[u]);
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve(HeadLayout.UserClusters.USERS_FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException("UserClusters: cannot write " + dir, e);
        }
    }

    /**
     * Reads the assignment of a checkpoint written by {@link #save} (to resume a run on the same
     * data).
     *
     * @param dir the checkpoint directory
     * @param users every user of the run
     * @param train the training pairs
     * @return the assignment
     * @throws IllegalArgumentException when the file is missing or names other users
     */
    public static UserClusters load(Path dir, UserIndex users, Collection<TokenizedPair> train) {
        Assignment file = read(dir);
        Checks.argument(
                file.users().equals(users),
                () ->
                        "UserClusters: "
                                + dir.resolve(HeadLayout.UserClusters.USERS_FILE)
                                + " names other users than the run's data; expected the"
                                + " checkpoint of this run");
        boolean[] trained = trainedUsers(users, train);
        int[] a = file.clusters().clone();
        for (int u = 0; u < a.length; u++) {
            a[u] = Math.max(a[u], 0);
        }
        return new UserClusters(users, trained, file.k(), a);
    }

    /**
     * The users and clusters of a {@value HeadLayout.UserClusters#USERS_FILE} file.
     *
     * @param users the users, in row order
     * @param clusters each user's cluster ({@code -1}: none)
     * @param k number of clusters
     */
    public record Assignment(UserIndex users, int[] clusters, int k) {
        /** The cluster of {@code user}, if it has one. */
        public java.util.OptionalInt clusterOf(String user) {
            return users.row(user)
                    .map(r -> clusters[r])
                    .filter(c -> c >= 0)
                    .map(java.util.OptionalInt::of)
                    .orElse(java.util.OptionalInt.empty());
        }
    }

    /**
     * Reads {@value HeadLayout.UserClusters#USERS_FILE} of a model or checkpoint directory.
     *
     * @param dir the directory
     * @return the users and their clusters
     */
    public static Assignment read(Path dir) {
        Path file = dir.resolve(HeadLayout.UserClusters.USERS_FILE);
        JsonNode o;
        try {
            o = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "UserClusters: cannot read "
                            + file
                            + " ("
                            + e.getMessage()
                            + "); expected the users' clusters written with the model",
                    e);
        }
        JsonNode map = o.path("users");
        Checks.argument(
                map.isObject() && o.path("clusters").asInt() >= 1,
                () -> "UserClusters: " + file + " has no users/clusters; expected both");
        List<String> ids = new ArrayList<>();
        map.fieldNames().forEachRemaining(ids::add);
        UserIndex index = UserIndex.of(ids);
        int[] c = new int[index.size()];
        for (int u = 0; u < c.length; u++) {
            c[u] = map.path(index.users().get(u)).asInt();
        }
        return new Assignment(index, c, o.path("clusters").asInt());
    }

    private static boolean[] trainedUsers(UserIndex users, Collection<TokenizedPair> train) {
        Set<String> seen = new HashSet<>();
        for (TokenizedPair p : train) {
            p.userId().ifPresent(seen::add);
        }
        boolean[] t = new boolean[users.size()];
        for (int u = 0; u < t.length; u++) {
            t[u] = seen.contains(users.users().get(u));
        }
        return t;
    }
}
