package dev.reward4j.trainers.checkpoint;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Provenance written as {@code run.json} into the run directory and next to every checkpoint:
 * versions, device, seed, digests of the model, tokenizer and data files, and the resolved
 * configuration. The run directory's copy is what a later {@code train} into the same directory is
 * compared with before it resumes.
 *
 * @param reward4jVersion reward4j version (from the jar manifest, "dev" when run from classes)
 * @param djlVersion DJL version
 * @param engine engine name and version (e.g. {@code PyTorch 2.7.1})
 * @param javaVersion JVM version
 * @param device device the run trains on ({@code cpu}, {@code gpu:0}, ...)
 * @param seed run seed
 * @param dataDigests data file to {@code sha256:<hex>}
 * @param config the resolved configuration (a JSON tree)
 * @param createdAt ISO-8601 time of writing
 * @param runId identifier of the run, kept across resumes; checkpoints of another run are never
 *     pruned by this one (null in records written before it existed)
 * @param modelDigest {@link #modelDigest(Path)} of the starting model, or null
 * @param tokenizerDigest {@code sha256} of the tokenizer's {@code tokenizer.json}, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunInfo(
        String reward4jVersion,
        String djlVersion,
        String engine,
        String javaVersion,
        String device,
        long seed,
        Map<String, String> dataDigests,
        Object config,
        String createdAt,
        String runId,
        String modelDigest,
        String tokenizerDigest) {
    /** File name inside a checkpoint or run directory. */
    public static final String FILE = "run.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** Copies the digests. */
    public RunInfo {
        dataDigests = dataDigests == null ? Map.of() : new LinkedHashMap<>(dataDigests);
    }

    /** A record without run id and model or tokenizer digests. */
    public RunInfo(
            String reward4jVersion,
            String djlVersion,
            String engine,
            String javaVersion,
            String device,
            long seed,
            Map<String, String> dataDigests,
            Object config,
            String createdAt) {
        this(
                reward4jVersion,
                djlVersion,
                engine,
                javaVersion,
                device,
                seed,
                dataDigests,
                config,
                createdAt,
                null,
                null,
                null);
    }

    /**
     * Captures versions from the running JVM and engine, and digests {@code dataFiles} (a
     * directory, e.g. of tokenized shards, by the digests of its files).
     */
    public static RunInfo capture(String device, long seed, List<Path> dataFiles, Object config) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (Path p : dataFiles) {
            digests.put(p.toString(), Files.isDirectory(p) ? directoryDigest(p) : sha256(p));
        }
        Engine engine = Engine.getInstance();
        return new RunInfo(
                version(),
                Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                System.getProperty("java.version"),
                device,
                seed,
                digests,
                config,
                Instant.now().toString());
    }

    /** The reward4j version of the running jar ("dev" when run from classes). */
    public static String version() {
        String version = RunInfo.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** This record with a run id and the digests of the starting model and its tokenizer. */
    public RunInfo withIdentity(String runId, String modelDigest, String tokenizerDigest) {
        return new RunInfo(
                reward4jVersion,
                djlVersion,
                engine,
                javaVersion,
                device,
                seed,
                dataDigests,
                config,
                createdAt,
                runId,
                modelDigest,
                tokenizerDigest);
    }

    /**
     * Run-record facts of a tokenizer directory: {@code tokenizer} (the directory) and, when it
     * holds a {@code tokenizer.json}, {@code tokenizer_digest} ({@link #sha256}).
     */
    public static Map<String, String> tokenizerFacts(Path dir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tokenizer", String.valueOf(dir));
        Path json = dir == null ? null : dir.resolve("tokenizer.json");
        if (json != null && Files.isRegularFile(json)) {
            m.put("tokenizer_digest", sha256(json));
        }
        return m;
    }

    /** {@code sha256:<hex>} over the names and digests of a directory's files, sorted by name. */
    static String directoryDigest(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                md.update(
                        (f.getFileName() + " " + sha256(f) + "\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("run info: cannot digest " + dir, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code sha256:<hex>} over a model directory's {@code config.json} and {@code *.safetensors}
     * files (name and content of each, in name order): two directories with the same digest hold
     * the same model.
     */
    public static String modelDigest(Path modelDir) {
        try (Stream<Path> files = Files.list(modelDir)) {
            List<Path> parts =
                    files.filter(
                                    p -> {
                                        String n = p.getFileName().toString();
                                        return n.endsWith(".safetensors")
                                                || n.equals("config.json");
                                    })
                            .sorted()
                            .toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : parts) {
                md.update(
                        p.getFileName()
                                .toString()
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(sha256(p).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("run.json: cannot digest " + modelDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:<hex>} of a file's bytes. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("run.json: cannot digest " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code run.json} into {@code dir} (atomically: a temporary file, then a rename). */
    public void write(Path dir) throws IOException {
        Path tmp = Files.createTempFile(dir, ".tmp-run-", ".json");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(
                    tmp,
                    dir.resolve(FILE),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads {@code dir/run.json}; empty when there is none. A file that cannot be read is an {@link
     * IllegalArgumentException} naming it.
     */
    public static Optional<RunInfo> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            // records written before the snake_case names used camelCase: read both
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(file.toFile());
            com.fasterxml.jackson.databind.node.ObjectNode snake = JSON.createObjectNode();
            tree.fields()
                    .forEachRemaining(
                            e ->
                                    snake.set(
                                            PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE
                                                    .translate(e.getKey()),
                                            e.getValue()));
            return Optional.of(JSON.treeToValue(snake, RunInfo.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "run.json: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
