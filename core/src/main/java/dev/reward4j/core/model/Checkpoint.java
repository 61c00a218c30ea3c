package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors weights of an HF checkpoint directory: {@code model.safetensors}, or the shards
 * listed by {@code model.safetensors.index.json}. All shards are opened (headers validated) up
 * front, so a missing or broken shard fails before any tensor is read.
 */
public final class Checkpoint implements AutoCloseable {
    /** Single-file weights name. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** Sharded weights index name. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byName;

    private Checkpoint(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> byName) {
        this.dir = dir;
        this.files = files;
        this.byName = byName;
    }

    /** Opens the weights of {@code dir}; errors name the file (and tensor for a missing shard). */
    public static Checkpoint open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.exists(index)) {
            return openSharded(dir, index);
        }
        if (!Files.exists(single)) {
            throw new IllegalArgumentException(
                    "checkpoint: no weights in "
                            + dir
                            + " (neither "
                            + SINGLE_FILE
                            + " nor "
                            + INDEX_FILE
                            + "); expected an HF safetensors checkpoint directory. Convert .bin"
                            + " checkpoints with `safetensors` first.");
        }
        SafetensorsFile f = SafetensorsFile.open(single);
        Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
        f.tensors().keySet().forEach(n -> byName.put(n, f));
        return new Checkpoint(dir, List.of(f), byName);
    }

    private static Checkpoint openSharded(Path dir, Path index) {
        JsonNode root;
        try {
            root = HfConfig.JSON.readTree(Files.readString(index));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "checkpoint: cannot parse " + index + ": " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new IllegalArgumentException(
                    "checkpoint: "
                            + index
                            + " has no weight_map object; expected {\"weight_map\": {tensor: shard"
                            + " file}}");
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String shardName = e.getValue().asText();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    Path shardPath = dir.resolve(shardName);
                    if (!Files.exists(shardPath)) {
                        throw new IllegalArgumentException(
                                "checkpoint: missing shard "
                                        + shardName
                                        + " ("
                                        + shardPath
                                        + ") listed in "
                                        + index
                                        + " for tensor "
                                        + e.getKey()
                                        + "; expected every shard of the index next to it");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                    files.add(shard);
                }
                if (!shard.tensors().containsKey(e.getKey())) {
                    throw new IllegalArgumentException(
                            "checkpoint: tensor "
                                    + e.getKey()
                                    + " is mapped to "
                                    + shard.file()
                                    + " by "
                                    + index
                                    + " but the shard does not contain it");
                }
                byName.put(e.getKey(), shard);
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, files, byName);
    }

    /** The checkpoint directory. */
    public Path dir() {
        return dir;
    }

    /** Tensor names in index/header order. */
    public java.util.Set<String> names() {
        return byName.keySet();
    }

    /** Header entry of tensor {@code name}. */
    public SafetensorsFile.TensorInfo info(String name) {
        return file(name).tensors().get(name);
    }

    /** The file holding tensor {@code name}. */
    public SafetensorsFile file(String name) {
        SafetensorsFile f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("checkpoint: no tensor " + name + " in " + dir);
        }
        return f;
    }

    /**
     * Reads tensor {@code name} into {@code manager}, floating tensors converted to {@code
     * floatType}.
     */
    public NDArray read(String name, NDManager manager, DataType floatType) {
        return file(name).read(name, manager, floatType);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
