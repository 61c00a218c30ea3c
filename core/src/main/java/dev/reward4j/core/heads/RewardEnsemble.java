package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.model.RewardPooling;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ensemble of K reward models: either K independent members (each a scalar-reward model, trained
 * from different seeds or base checkpoints) or K scalar heads on one shared backbone ({@link
 * ScalarHeads}). Member rewards are read with {@link #memberRewards}; {@link EnsembleScores} gives
 * the aggregate and the uncertainty.
 *
 * <p><b>Directory layout</b> ({@link #save}, {@link #load}):
 *
 * <pre>
 * ensemble.json      {"format": "reward4j-ensemble", "version": 1, "kind": "members", "members": ["member-0", ...]}
 *                    or {"format": "reward4j-ensemble", "version": 1, "kind": "heads", "heads": K, "model": "model"}
 * member-0/ ...      (kind members) one Hugging Face checkpoint per member (any relative path, e.g.
 *                    member-0/final for the run directories of reward4j ensemble train): config.json with
 *                    *ForSequenceClassification and num_labels 1, model.safetensors, tokenizer files
 * model/             (kind heads) one Hugging Face checkpoint with num_labels = K: the shared
 *                    backbone plus score.weight (K, hidden), whose row k is head k; its logits are
 *                    the K member rewards
 * </pre>
 *
 * Every checkpoint loads in Python {@code transformers} with {@code
 * AutoModelForSequenceClassification.from_pretrained}. The ensemble owns its models: {@link
 * #close()} closes them.
 */
public final class RewardEnsemble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "ensemble.json";
    private final List<DecoderModel> members;
    private final DecoderModel shared;
    private final int heads;

    private RewardEnsemble(List<DecoderModel> members, DecoderModel shared, int heads) {
        this.members = List.copyOf(members);
        this.shared = shared;
        this.heads = heads;
    }

    /**
     * An ensemble of independent members (taken over: closed with the ensemble).
     *
     * @param members K {@code >= 1} models with a scalar reward head
     * @return the ensemble
     */
    public static RewardEnsemble ofMembers(List<DecoderModel> members) {
        Checks.argument(!members.isEmpty(), "RewardEnsemble: no members; expected at least one");
        for (DecoderModel m : members) {
            ReadPositions.requireColumns(m, 1, "RewardEnsemble member");
        }
        return new RewardEnsemble(members, null, members.size());
    }

    /**
     * An ensemble of K heads on one backbone (taken over: closed with the ensemble).
     *
     * @param model a model with a reward head of K {@code >= 1} outputs
     * @return the ensemble
     */
    public static RewardEnsemble ofHeads(DecoderModel model) {
        Checks.argument(
                model.head() instanceof ModelHead.Reward,
                () -> "RewardEnsemble: head " + model.head() + "; expected a reward head");
        return new RewardEnsemble(List.of(), model, ((ModelHead.Reward) model.head()).numLabels());
    }

    /** Number of members K. */
    public int size() {
        return heads;
    }

    /** True for K heads on one shared backbone. */
    public boolean sharedBackbone() {
        return shared != null;
    }

    /** The models (K members, or the one shared model). */
    public List<DecoderModel> models() {
        return shared == null ? members : List.of(shared);
    }

    /**
     * Member rewards of N sequences (one forward per member, or one forward for shared heads). Grad
     * mode is the caller's.
     *
     * @param inputIds (N, T) token ids on the models' device
     * @param attentionMask (N, T) mask
     * @return (N, K) rewards, attached to the manager of {@code inputIds}
     */
    public NDArray memberRewards(NDArray inputIds, NDArray attentionMask) {
        if (shared != null) {
            return shared.scores(inputIds, attentionMask);
        }
        NDArray out = null;
        for (DecoderModel m : members) {
            NDArray r = m.scores(inputIds, attentionMask);
            out = out == null ? r : out.concat(r, 1);
        }
        return out;
    }

    /**
     * Writes the ensemble directory (see the class description).
     *
     * @param dir target directory (created if missing)
     * @param tokenizerDir tokenizer files copied into every checkpoint, or null
     */
    public void save(Path dir, Path tokenizerDir) {
        try {
            Files.createDirectories(dir);
            ObjectNode json = JSON.createObjectNode();
            json.put("format", "reward4j-ensemble");
            json.put("version", 1);
            if (shared != null) {
                json.put("kind", "heads");
                json.put("heads", heads);
                json.put("model", "model");
                shared.save(dir.resolve("model"), tokenizerDir);
            } else {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    String name = "member-" + i;
                    names.add(name);
                    members.get(i).save(dir.resolve(name), tokenizerDir);
                }
                writeMembers(dir, names);
                return;
            }
            Files.writeString(
                    dir.resolve(FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("RewardEnsemble: cannot write " + dir, e);
        }
    }

    /**
     * Writes the {@code ensemble.json} of an ensemble whose members are already saved (e.g. the
     * final models of separately trained runs), so that {@link #load} opens them.
     *
     * @param dir the ensemble directory
     * @param members each member's checkpoint directory relative to {@code dir} (e.g. {@code
     *     member-0/final}), at least one
     */
    public static void writeMembers(Path dir, List<String> members) {
        Checks.argument(!members.isEmpty(), "RewardEnsemble: no members; expected at least one");
        ObjectNode json = JSON.createObjectNode();
        json.put("format", "reward4j-ensemble");
        json.put("version", 1);
        json.put("kind", "members");
        var names = json.putArray("members");
        members.forEach(names::add);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            Files.move(
                    tmp,
                    dir.resolve(FILE),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("RewardEnsemble: cannot write " + dir, e);
        }
    }

    /**
     * True when {@code dir} is an ensemble directory (it has {@code ensemble.json}).
     *
     * @param dir a directory
     * @return whether it holds an ensemble
     */
    public static boolean isEnsemble(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * The checkpoint directories of an ensemble directory without loading them: the members' (kind
     * {@code members}) or the one shared model's (kind {@code heads}).
     *
     * @param dir the ensemble directory
     * @return the checkpoint directories, in member order
     */
    public static List<Path> checkpoints(Path dir) {
        JsonNode json = index(dir);
        if (json.path("kind").asText().equals("heads")) {
            return List.of(dir.resolve(json.path("model").asText("model")));
        }
        List<Path> out = new ArrayList<>();
        json.path("members").forEach(n -> out.add(dir.resolve(n.asText())));
        return out;
    }

    /** The validated {@code ensemble.json} of {@code dir}. */
    private static JsonNode index(Path dir) {
        JsonNode json;
        try {
            json = JSON.readTree(Files.readString(dir.resolve(FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "RewardEnsemble: cannot read "
                            + dir.resolve(FILE)
                            + "; expected a directory written by RewardEnsemble.save",
                    e);
        }
        Checks.argument(
                json != null
                        && "reward4j-ensemble".equals(json.path("format").asText())
                        && json.path("version").asInt() == 1,
                () -> "RewardEnsemble: " + dir.resolve(FILE) + " is not a version-1 ensemble file");
        String kind = json.path("kind").asText();
        Checks.argument(
                kind.equals("heads")
                        || (kind.equals("members")
                                && json.path("members").isArray()
                                && json.path("members").size() > 0),
                () ->
                        "RewardEnsemble: "
                                + dir.resolve(FILE)
                                + " has kind '"
                                + kind
                                + "'; expected members (with a non-empty members list) or heads");
        return json;
    }

    /**
     * Loads an ensemble directory written by {@link #save} (or {@link #writeMembers}), each
     * checkpoint with the pooling its config records and the pad id of the tokenizer saved with it.
     *
     * @param dir the directory
     * @param options device, dtype, attention of every model
     * @return the ensemble
     */
    public static RewardEnsemble load(Path dir, ModelOptions options) {
        JsonNode json = index(dir);
        if (json.path("kind").asText().equals("heads")) {
            int k = json.path("heads").asInt();
            return ofHeads(checkpoint(dir.resolve(json.path("model").asText("model")), k, options));
        }
        List<DecoderModel> models = new ArrayList<>();
        try {
            for (Path member : checkpoints(dir)) {
                models.add(checkpoint(member, 1, options));
            }
        } catch (RuntimeException e) {
            models.forEach(DecoderModel::close);
            throw e;
        }
        return ofMembers(models);
    }

    /**
     * One checkpoint of an ensemble as it was trained: the pooling its config records and the pad
     * id of the tokenizer saved with it.
     */
    private static DecoderModel checkpoint(Path dir, int outputs, ModelOptions options) {
        ModelConfig config = ModelConfig.load(dir);
        ModelOptions recorded =
                options.withPooling(RewardPooling.recordedIn(config).orElse(RewardPooling.HF));
        return DecoderModel.load(dir, ModelHead.reward(outputs), recorded, dir);
    }

    @Override
    public void close() {
        members.forEach(DecoderModel::close);
        if (shared != null) {
            shared.close();
        }
    }
}
