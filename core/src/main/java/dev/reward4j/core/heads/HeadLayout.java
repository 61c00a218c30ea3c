package dev.reward4j.core.heads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the outputs of a saved reward model mean, written next to its {@code config.json} as {@code
 * reward4j-head.json} by the trainer of every model whose outputs are not plain rewards. A
 * checkpoint without the file is a plain reward model: its {@code num_labels} score columns are
 * rewards (column 0 the reward, more columns regression attributes). Python {@code transformers}
 * ignores the file; the reward4j scorers read it to turn the columns into what the model was
 * trained to give (a preference probability, step rewards, a mixture's weighted reward, ...).
 *
 * <pre>
 * {"format": "reward4j-head", "version": 1, "kind": "gpm", "k": 2, "gated": false, "tau": 1.0}
 * </pre>
 */
public sealed interface HeadLayout
        permits HeadLayout.PreferenceEmbedding,
                HeadLayout.Mixture,
                HeadLayout.EnsembleHeads,
                HeadLayout.ProcessReward,
                HeadLayout.UserClusters,
                HeadLayout.IdealPoints,
                HeadLayout.Autoregressive {

    /** File name in a model directory. */
    String FILE = "reward4j-head.json";

    /** The {@code kind} name in the file (the {@code objective.type} that trains it). */
    String kind();

    /** The layout's values by their key in the file (besides {@code kind}). */
    Map<String, Object> values();

    /**
     * A general preference model ({@link PreferenceEmbeddingHead}): no scalar reward; pairs get a
     * preference probability.
     *
     * @param k number of 2x2 blocks
     * @param gated whether the head has prompt-dependent gates
     * @param tau the loss temperature the model was trained with ({@code > 0})
     */
    record PreferenceEmbedding(int k, boolean gated, double tau) implements HeadLayout {
        /** Validates the values. */
        public PreferenceEmbedding {
            Checks.argument(k >= 1, () -> "HeadLayout.gpm: k (" + k + "); expected >= 1");
            Checks.argument(tau > 0, () -> "HeadLayout.gpm: tau (" + tau + "); expected > 0");
        }

        /** The head of this layout. */
        public PreferenceEmbeddingHead head() {
            return new PreferenceEmbeddingHead(k, gated);
        }

        @Override
        public String kind() {
            return "gpm";
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("k", k);
            v.put("gated", gated);
            v.put("tau", tau);
            return v;
        }
    }

    /**
     * A mixture of {@code heads} BT heads with a prompt router ({@link MixtureHead}).
     *
     * @param heads K
     */
    record Mixture(int heads) implements HeadLayout {
        /** Validates K. */
        public Mixture {
            Checks.positive(heads, "HeadLayout.mixture: heads");
        }

        @Override
        public String kind() {
            return "mixture";
        }

        @Override
        public Map<String, Object> values() {
            return Map.of("heads", heads);
        }
    }

    /**
     * An ensemble of {@code heads} BT heads on one backbone ({@link ScalarHeads}).
     *
     * @param heads K
     */
    record EnsembleHeads(int heads) implements HeadLayout {
        /** Validates K. */
        public EnsembleHeads {
            Checks.positive(heads, "HeadLayout.ensemble-heads: heads");
        }

        @Override
        public String kind() {
            return "ensemble-heads";
        }

        @Override
        public Map<String, Object> values() {
            return Map.of("heads", heads);
        }
    }

    /**
     * A process reward model ({@link StepHead}) whose steps end with {@code separator}.
     *
     * @param separator the step separator text the model was trained with
     */
    record ProcessReward(String separator) implements HeadLayout {
        /** Validates the separator. */
        public ProcessReward {
            Checks.argument(
                    separator != null && !separator.isEmpty(),
                    "HeadLayout.prm: separator is empty; expected the training separator");
        }

        @Override
        public String kind() {
            return "prm";
        }

        @Override
        public Map<String, Object> values() {
            return Map.of("separator", separator);
        }
    }

    /**
     * MaxMin-RLHF's user clusters: {@code clusters} BT heads ({@link ScalarHeads}), the users'
     * clusters in {@link #USERS_FILE} ({@code {"user": cluster, ...}}).
     *
     * @param clusters K
     */
    record UserClusters(int clusters) implements HeadLayout {
        /** File of the users' clusters. */
        public static final String USERS_FILE = "user-clusters.json";

        /** Validates K. */
        public UserClusters {
            Checks.positive(clusters, "HeadLayout.maxmin: clusters");
        }

        @Override
        public String kind() {
            return "maxmin";
        }

        @Override
        public Map<String, Object> values() {
            return Map.of("clusters", clusters);
        }
    }

    /**
     * A PAL-A ideal-point model: a {@link ScalarHeads}{@code (dims)} embedding, prototypes and user
     * logits in the files of {@link IdealPointParameters#save}.
     *
     * @param prototypes K
     * @param dims embedding width D
     * @param tau the loss temperature
     */
    record IdealPoints(int prototypes, int dims, double tau) implements HeadLayout {
        /** Validates the values. */
        public IdealPoints {
            Checks.positive(prototypes, "HeadLayout.pal: prototypes");
            Checks.positive(dims, "HeadLayout.pal: dims");
            Checks.argument(tau > 0, () -> "HeadLayout.pal: tau (" + tau + "); expected > 0");
        }

        @Override
        public String kind() {
            return "pal";
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("prototypes", prototypes);
            v.put("dims", dims);
            v.put("tau", tau);
            return v;
        }
    }

    /**
     * GenARM's autoregressive reward model: an LM whose reward is \( \beta_r \sum_t \log \pi_r(y_t
     * \mid x, y_{&lt;t}) \).
     *
     * @param betaR \( \beta_r > 0 \)
     */
    record Autoregressive(double betaR) implements HeadLayout {
        /** Validates beta_r. */
        public Autoregressive {
            Checks.argument(
                    betaR > 0, () -> "HeadLayout.genarm: beta_r (" + betaR + "); expected > 0");
        }

        @Override
        public String kind() {
            return "genarm";
        }

        @Override
        public Map<String, Object> values() {
            return Map.of("beta_r", betaR);
        }
    }

    /**
     * Writes {@link #FILE} into {@code dir}.
     *
     * @param dir a model directory
     */
    default void write(Path dir) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("format", "reward4j-head");
        o.put("version", 1);
        o.put("kind", kind());
        values().forEach((key, value) -> o.putPOJO(key, value));
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve(FILE), json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException("HeadLayout: cannot write " + dir.resolve(FILE), e);
        }
    }

    /**
     * The layout of the model in {@code dir}: empty when it has no {@link #FILE} (a plain reward
     * model).
     *
     * @param dir a model directory
     * @return the layout
     * @throws IllegalArgumentException for a file that is not a version-1 head file, naming it
     */
    static Optional<HeadLayout> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode o;
        try {
            o = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "HeadLayout: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        Checks.argument(
                o != null
                        && "reward4j-head".equals(o.path("format").asText())
                        && o.path("version").asInt() == 1,
                () -> "HeadLayout: " + file + " is not a version-1 reward4j-head file");
        String kind = o.path("kind").asText();
        return Optional.of(
                switch (kind) {
                    case "gpm" ->
                            new PreferenceEmbedding(
                                    required(o, "k", file).asInt(),
                                    o.path("gated").asBoolean(false),
                                    required(o, "tau", file).asDouble());
                    case "mixture" -> new Mixture(required(o, "heads", file).asInt());
                    case "ensemble-heads" -> new EnsembleHeads(required(o, "heads", file).asInt());
                    case "prm" -> new ProcessReward(required(o, "separator", file).asText());
                    case "maxmin" -> new UserClusters(required(o, "clusters", file).asInt());
                    case "pal" ->
                            new IdealPoints(
                                    required(o, "prototypes", file).asInt(),
                                    required(o, "dims", file).asInt(),
                                    required(o, "tau", file).asDouble());
                    case "genarm" -> new Autoregressive(required(o, "beta_r", file).asDouble());
                    default ->
                            throw new IllegalArgumentException(
                                    "HeadLayout: "
                                            + file
                                            + " has kind '"
                                            + kind
                                            + "'; expected gpm, mixture, ensemble-heads, prm,"
                                            + " maxmin, pal or genarm");
                });
    }

    private static JsonNode required(JsonNode o, String key, Path file) {
        JsonNode v = o.get(key);
        Checks.argument(
                v != null && !v.isNull(),
                () -> "HeadLayout: " + file + " has no '" + key + "'; expected one");
        return v;
    }
}
