package dev.reward4j.trainers.checkpoint;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Provenance written as {@code run.json} next to every checkpoint: versions, device, seed, data
 * digests and the resolved configuration.
 *
 * @param reward4jVersion reward4j version (from the jar manifest, "dev" when run from classes)
 * @param djlVersion DJL version
 * @param engine engine name and version (e.g. {@code PyTorch 2.7.1})
 * @param javaVersion JVM version
 * @param device device the run trains on
 * @param seed run seed
 * @param dataDigests data file to {@code sha256:<hex>}
 * @param config the resolved configuration (a JSON tree)
 * @param createdAt ISO-8601 time of writing
 */
public record RunInfo(
        String reward4jVersion,
        String djlVersion,
        String engine,
        String javaVersion,
        String device,
        long seed,
        Map<String, String> dataDigests,
        Object config,
        String createdAt) {
    /** File name inside a checkpoint directory. */
    public static final String FILE = "run.json";

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
        String version = RunInfo.class.getPackage().getImplementationVersion();
        return new RunInfo(
                version == null ? "dev" : version,
                Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                System.getProperty("java.version"),
                device,
                seed,
                digests,
                config,
                Instant.now().toString());
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

    /** Writes {@code run.json} into {@code dir}. */
    public void write(Path dir) throws IOException {
        new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve(FILE).toFile(), this);
    }
}
