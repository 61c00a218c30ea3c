package dev.reward4j.trainers.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.metrics.HostArrays;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reference log-probs of preference pairs computed once with a frozen reference model and stored on
 * disk, keyed by example id, stamped with the reference model's digest and, per pair, with a digest
 * of the tokens the reference saw (chosen and rejected token ids and response masks). Opening a
 * cache written for another reference model is an error; so is a batch id missing from the cache,
 * and so is a pair whose tokens changed since the cache was built (other texts under the same id,
 * another {@code max_length}, truncation, chat template or tokenizer): stale log-probs are never
 * used, and the policy is never used as a fallback (it would silently turn the reference log-probs
 * into the policy's own). {@link #changed} finds stale pairs before training; every lookup checks
 * them again.
 *
 * <p>File: magic {@code R4JREF2}, the reference digest, the count, then per pair its id, its token
 * digest (int64) and the chosen and rejected sums (float64). Written to a temporary file and
 * renamed. Files of the older format {@code R4JREF1} (no token digests) are rejected with a hint to
 * delete them.
 */
public final class ReferenceCache implements PairReference {
    private static final String MAGIC = "R4JREF2";
    private static final String OLD_MAGIC = "R4JREF1";

    /**
     * What to do about pairs whose tokens changed; also used by the launcher's check before
     * training.
     *
     * @param dir the cache directory, or null when unknown
     */
    public static String staleHint(String dir) {
        return "Other texts under the same ids, another data.max_length, data.truncation, chat"
                + " template or tokenizer change the tokens: delete the cache directory"
                + (dir == null ? "" : " " + dir)
                + " or point"
                + " model.reference_cache at a new path to recompute it";
    }

    /**
     * One cached pair: the digest of its tokens and its chosen and rejected reference log-prob
     * sums.
     */
    private record Entry(long tokens, double chosen, double rejected) {}

    /**
     * The reference log-probs of one pair as the cache stores them (e.g. computed elsewhere, by a
     * cluster job, and written with {@link #write}).
     *
     * @param id the pair's id
     * @param tokenDigest {@link PairTokenDigest#of(TokenizedPair)} of the pair as tokenized for
     *     training
     * @param chosen summed response log-probs of the chosen sequence under the reference model
     * @param rejected summed response log-probs of the rejected sequence
     */
    public record CachedPair(String id, long tokenDigest, double chosen, double rejected) {
        /** Requires the id and finite sums. */
        public CachedPair {
            java.util.Objects.requireNonNull(id, "id");
            Checks.argument(
                    Double.isFinite(chosen) && Double.isFinite(rejected),
                    () ->
                            "reference cache: pair '"
                                    + id
                                    + "' has log-probs ("
                                    + chosen
                                    + ", "
                                    + rejected
                                    + "); expected finite values");
        }
    }

    /**
     * The cache file {@code train} reads for the reference model with {@code digest} under {@code
     * model.reference_cache}: {@code <cacheDir>/reference-logps-<16 hex digits of the digest>.bin}.
     */
    public static Path fileFor(Path cacheDir, String digest) {
        Checks.argument(
                digest.startsWith("sha256:") && digest.length() >= 23,
                () -> "reference cache: digest '" + digest + "'; expected sha256:<hex>");
        return cacheDir.resolve("reference-logps-" + digest.substring(7, 23) + ".bin");
    }

    /**
     * Writes a cache of precomputed reference log-probs (the format {@link #open} reads and {@code
     * train} validates), to a temporary file renamed into place.
     *
     * @param file the cache file (see {@link #fileFor})
     * @param digest the reference model's digest ({@link #digestOf})
     * @param pairs the pairs' log-probs
     * @return the cache
     * @throws IllegalArgumentException when an id occurs twice
     */
    public static ReferenceCache write(
            Path file, String digest, java.util.Collection<CachedPair> pairs) throws IOException {
        Map<String, Entry> values = new java.util.LinkedHashMap<>(pairs.size() * 2);
        for (CachedPair p : pairs) {
            Entry old = values.put(p.id(), new Entry(p.tokenDigest(), p.chosen(), p.rejected()));
            Checks.argument(
                    old == null,
                    () ->
                            "reference cache: pair id '"
                                    + p.id()
                                    + "' occurs more than once; expected unique ids, since the"
                                    + " cache keys reference log-probs by id");
        }
        write(file, digest, values);
        return new ReferenceCache(digest, values);
    }

    /** The cached log-probs of the pair with {@code id}, if cached. */
    public java.util.Optional<CachedPair> get(String id) {
        Entry e = values.get(id);
        return e == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(new CachedPair(id, e.tokens(), e.chosen(), e.rejected()));
    }

    private final String digest;
    private final Map<String, Entry> values;

    private ReferenceCache(String digest, Map<String, Entry> values) {
        this.digest = digest;
        this.values = values;
    }

    /**
     * {@code sha256:<hex>} over {@code config.json} and every {@code *.safetensors} file of a model
     * directory.
     */
    public static String digestOf(Path modelDir) {
        try (Stream<Path> files = Files.list(modelDir)) {
            List<Path> parts =
                    new ArrayList<>(
                            files.filter(
                                            p ->
                                                    p.getFileName()
                                                                    .toString()
                                                                    .endsWith(".safetensors")
                                                            || p.getFileName()
                                                                    .toString()
                                                                    .equals("config.json"))
                                    .sorted()
                                    .toList());
            Checks.argument(
                    !parts.isEmpty(),
                    () ->
                            "reference cache: no config.json or *.safetensors in "
                                    + modelDir
                                    + "; expected a model directory");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : parts) {
                md.update(
                        p.getFileName()
                                .toString()
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(RunInfo.sha256(p).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reference cache: cannot digest " + modelDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Computes the reference log-probs of {@code pairs} pairs drawn from {@code source} (one pass)
     * and writes them to {@code file}.
     *
     * @param manager parent of the per-batch managers
     */
    public static ReferenceCache build(
            Path file,
            String digest,
            FrozenReference reference,
            BatchSource<PairBatch> source,
            long pairs,
            NDManager manager)
            throws IOException {
        Map<String, Entry> values = new HashMap<>();
        long seen = 0;
        while (seen < pairs) {
            try (NDManager m = manager.newSubManager();
                    PairBatch batch = source.next(m)) {
                double[] sums = HostArrays.of(reference.chosenAndRejected(batch, m));
                long[] tokens = PairTokenDigest.of(batch);
                int b = batch.pairs();
                for (int i = 0; i < b; i++) {
                    values.put(batch.ids().get(i), new Entry(tokens[i], sums[i], sums[b + i]));
                }
                seen += b;
            }
        }
        write(file, digest, values);
        return new ReferenceCache(digest, values);
    }

    /**
     * Opens a cache and checks that it belongs to the reference model with {@code expectedDigest}.
     * Whether its pairs still have the same tokens is checked by {@link #changed} (and by every
     * lookup).
     *
     * @throws IllegalArgumentException on a digest mismatch, a cache file of the older format
     *     without token digests, or a file that is not a cache
     */
    public static ReferenceCache open(Path file, String expectedDigest) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic = in.readUTF();
            Checks.argument(
                    !OLD_MAGIC.equals(magic),
                    () ->
                            "reference cache: "
                                    + file
                                    + " has the old format "
                                    + OLD_MAGIC
                                    + " (keyed by pair id only, without a digest of each pair's"
                                    + " tokens, so it cannot tell whether the data, max_length,"
                                    + " truncation, chat template or tokenizer changed); expected "
                                    + MAGIC
                                    + ". Delete the cache directory or point model.reference_cache"
                                    + " at a new path to recompute it");
            Checks.argument(
                    MAGIC.equals(magic),
                    () ->
                            "reference cache: "
                                    + file
                                    + " starts with '"
                                    + magic
                                    + "'; expected "
                                    + MAGIC);
            String digest = in.readUTF();
            Checks.argument(
                    digest.equals(expectedDigest),
                    () ->
                            "reference cache: "
                                    + file
                                    + " was computed with reference "
                                    + digest
                                    + " but the reference model is "
                                    + expectedDigest
                                    + "; delete the cache or point model.reference_cache"
                                    + " elsewhere");
            int n = in.readInt();
            Map<String, Entry> values = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                values.put(
                        in.readUTF(), new Entry(in.readLong(), in.readDouble(), in.readDouble()));
            }
            return new ReferenceCache(digest, values);
        }
    }

    private static void write(Path file, String digest, Map<String, Entry> values)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".tmp-", ".bin");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(MAGIC);
            out.writeUTF(digest);
            out.writeInt(values.size());
            for (Map.Entry<String, Entry> e : values.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().tokens());
                out.writeDouble(e.getValue().chosen());
                out.writeDouble(e.getValue().rejected());
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The reference digest the cache was computed with. */
    public String digest() {
        return digest;
    }

    /** Number of cached pairs. */
    public int size() {
        return values.size();
    }

    /** True when the cache holds the reference log-probs of the pair with {@code id}. */
    public boolean contains(String id) {
        return values.containsKey(id);
    }

    /**
     * The ids of the cached pairs among {@code pairs} whose tokens (ids or response masks of chosen
     * or rejected) differ from those the cache was built from, in the order of {@code pairs}; pairs
     * not in the cache are not listed (see {@link #contains}).
     */
    public List<String> changed(List<TokenizedPair> pairs) {
        List<String> out = new ArrayList<>();
        for (TokenizedPair p : pairs) {
            Entry e = values.get(p.id());
            if (e != null && e.tokens() != PairTokenDigest.of(p)) {
                out.add(p.id());
            }
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a pair that is not in the cache or whose tokens changed
     *     since it was built
     */
    @Override
    public NDArray chosenAndRejected(PairBatch batch, NDManager manager) {
        int b = batch.pairs();
        long[] tokens = PairTokenDigest.of(batch);
        float[] out = new float[2 * b];
        for (int i = 0; i < b; i++) {
            String id = batch.ids().get(i);
            Entry v = values.get(id);
            Checks.argument(
                    v != null,
                    () ->
                            "reference cache: example '"
                                    + id
                                    + "' is not in the cache ("
                                    + values.size()
                                    + " pairs); expected every training id. Rebuild the cache for"
                                    + " this data file");
            long seen = tokens[i];
            Checks.argument(
                    v.tokens() == seen,
                    () ->
                            "reference cache: the tokens of pair '"
                                    + id
                                    + "' changed since"
                                    + " the cache was built (token digest "
                                    + HexFormat.of().toHexDigits(seen)
                                    + ", cached "
                                    + HexFormat.of().toHexDigits(v.tokens())
                                    + "); expected the token ids and response masks its reference"
                                    + " log-probs were computed from. "
                                    + staleHint(null));
            out[i] = (float) v.chosen();
            out[b + i] = (float) v.rejected();
        }
        return manager.create(out);
    }
}
