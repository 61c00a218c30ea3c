package dev.reward4j.trainers.corpus;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a directory of tokenized shards: what the shards hold and how they were
 * made (inputs, data format, tokenizer digest, truncation policy, layout), each shard's pair count,
 * and the counters of the whole input (read, kept, truncated, dropped, invalid, skipped, ... with
 * the first {@code file:line} locations), merged in shard order. Written last, so a directory
 * without one is incomplete.
 *
 * @param inputs the input files, as given
 * @param dataFormat the {@code data.format} name
 * @param truncation the truncation policy
 * @param tokenizer tokenizer facts (directory and {@code tokenizer.json} digest)
 * @param rowsPerShard input rows per shard
 * @param packLength 0 for one pair per row, else the packed row length
 * @param shards the shard files and their pair counts, in order
 * @param counters the counts of the whole input ({@code DataCounters.counts()})
 * @param locations the first {@code file:line reason} of each category ({@code
 *     DataCounters.locations()})
 */
public record ShardManifest(
        List<String> inputs,
        String dataFormat,
        String truncation,
        Map<String, String> tokenizer,
        long rowsPerShard,
        int packLength,
        List<Shard> shards,
        Map<String, Long> counters,
        Map<String, List<String>> locations) {
    /** The manifest's file name. */
    public static final String FILE = "manifest.json";

    /** The kind marker written into the file. */
    public static final String KIND = "reward4j tokenized pairs v1";

    /**
     * One shard.
     *
     * @param file its file name in the directory
     * @param pairs the pairs it holds
     */
    public record Shard(String file, long pairs) {}

    /** Copies the collections. */
    public ShardManifest {
        inputs = List.copyOf(inputs);
        tokenizer = Map.copyOf(new LinkedHashMap<>(tokenizer));
        shards = List.copyOf(shards);
        counters = new LinkedHashMap<>(counters);
        locations = new LinkedHashMap<>(locations);
    }

    /**
     * The manifest of shards written in order.
     *
     * @param results each shard's result, in shard order
     */
    public static ShardManifest of(
            List<String> inputs,
            String dataFormat,
            String truncation,
            Map<String, String> tokenizer,
            long rowsPerShard,
            int packLength,
            List<CorpusPreparation.ShardResult> results) {
        List<Shard> shards = new ArrayList<>();
        List<PartitionCounters> parts = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            shards.add(new Shard(TokenizedShards.shardName(k), results.get(k).pairs()));
            parts.add(results.get(k).counters());
        }
        DataCounters c = PartitionCounters.merge(parts);
        return new ShardManifest(
                inputs,
                dataFormat,
                truncation,
                tokenizer,
                rowsPerShard,
                packLength,
                shards,
                c.counts(),
                c.locations());
    }

    /** The counters of the whole input. */
    public DataCounters dataCounters() {
        return DataCounters.restore(counters, locations);
    }

    /** Total pairs. */
    public long pairs() {
        return shards.stream().mapToLong(Shard::pairs).sum();
    }

    /** Writes {@code dir/manifest.json} ({@link #toJson()}). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FILE), toJson(), StandardCharsets.UTF_8);
    }

    /**
     * The manifest's JSON text (sorted tokenizer facts: the same manifest gives the same bytes).
     */
    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("kind", KIND);
        o.set("inputs", Json.MAPPER.valueToTree(inputs));
        o.put("data_format", dataFormat);
        o.put("truncation", truncation);
        o.set("tokenizer", Json.MAPPER.valueToTree(new java.util.TreeMap<>(tokenizer)));
        o.put("rows_per_shard", rowsPerShard);
        o.put("pack_length", packLength);
        o.set("shards", Json.MAPPER.valueToTree(shards));
        o.put("pairs", pairs());
        o.set("counters", Json.MAPPER.valueToTree(counters));
        o.set("locations", Json.MAPPER.valueToTree(locations));
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code path} is a directory with a manifest. */
    public static boolean isShardDirectory(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(FILE));
    }

    /**
     * Reads {@code dir/manifest.json}.
     *
     * @throws IllegalArgumentException when it is missing or not a manifest of tokenized pairs
     */
    public static ShardManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Checks.argument(
                Files.isRegularFile(file),
                () ->
                        "tokenized shards: no "
                                + FILE
                                + " in "
                                + dir
                                + "; expected the output directory of reward4j spark prepare (or"
                                + " its single-process path), complete");
        JsonNode o = Json.MAPPER.readTree(file.toFile());
        Checks.argument(
                KIND.equals(o.path("kind").asText()),
                () ->
                        "tokenized shards: "
                                + file
                                + " has kind '"
                                + o.path("kind").asText()
                                + "'; expected '"
                                + KIND
                                + "'");
        return new ShardManifest(
                Json.MAPPER.convertValue(o.get("inputs"), new TypeReference<List<String>>() {}),
                o.path("data_format").asText(),
                o.path("truncation").asText(),
                Json.MAPPER.convertValue(
                        o.get("tokenizer"), new TypeReference<Map<String, String>>() {}),
                o.path("rows_per_shard").asLong(),
                o.path("pack_length").asInt(),
                Json.MAPPER.convertValue(o.get("shards"), new TypeReference<List<Shard>>() {}),
                Json.MAPPER.convertValue(
                        o.get("counters"), new TypeReference<LinkedHashMap<String, Long>>() {}),
                Json.MAPPER.convertValue(
                        o.get("locations"),
                        new TypeReference<LinkedHashMap<String, List<String>>>() {}));
    }

    /**
     * Checks that the shards were tokenized as a run configured with {@code dataFormat}, {@code
     * truncation} and the tokenizer of {@code tokenizer} would tokenize the input: stale tokens are
     * never trained on.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    public void requireMatches(
            Path dir, String dataFormat, String truncation, Map<String, String> tokenizer) {
        String digest = tokenizer.get("tokenizer_digest");
        String[][] checks = {
            {"data.format", this.dataFormat, dataFormat},
            {"data.max_length / data.truncation", this.truncation, truncation},
            {
                "the tokenizer (tokenizer.json digest)",
                this.tokenizer.get("tokenizer_digest"),
                digest
            }
        };
        for (String[] c : checks) {
            Checks.argument(
                    java.util.Objects.equals(c[1], c[2]),
                    () ->
                            "data.train: the tokenized shards in "
                                    + dir
                                    + " were made with "
                                    + c[0]
                                    + " "
                                    + c[1]
                                    + " (got "
                                    + c[2]
                                    + " in this run); expected the same settings. Prepare the"
                                    + " data again (reward4j spark prepare) with this"
                                    + " configuration");
        }
    }

    /** The shard files, in order. */
    public List<Path> files(Path dir) {
        return shards.stream().map(s -> dir.resolve(s.file())).toList();
    }
}
