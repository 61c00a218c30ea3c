package dev.reward4j.trainers.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.loop.BatchSource;
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
 * Reference log-probs of preference pairs computed once with a frozen reference model and stored on disk, keyed by
 * example id and stamped with the reference model's digest. Opening a cache written for another reference model is an
 * error, and so is a batch id missing from the cache: the policy is never used as a fallback (it would silently turn
 * the reference log-probs into the policy's own).
 *
 * <p>File: magic {@code R4JREF1}, the digest, the count, then per pair its id and the chosen and rejected sums
 * (float64). Written to a temporary file and renamed.
 */
public final class ReferenceCache implements PairReference {
  private static final String MAGIC = "R4JREF1";

  private final String digest;
  private final Map<String, double[]> values;

  private ReferenceCache(String digest, Map<String, double[]> values) {
    this.digest = digest;
    this.values = values;
  }

  /** {@code sha256:<hex>} over {@code config.json} and every {@code *.safetensors} file of a model directory. */
  public static String digestOf(Path modelDir) {
    try (Stream<Path> files = Files.list(modelDir)) {
      List<Path> parts = new ArrayList<>(files
          .filter(p -> p.getFileName().toString().endsWith(".safetensors") || p.getFileName().toString().equals("config.json"))
          .sorted()
          .toList());
      Checks.argument(!parts.isEmpty(), () -> "reference cache: no config.json or *.safetensors in " + modelDir + "; expected a model directory");
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path p : parts) {
        md.update(p.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
   * Computes the reference log-probs of {@code pairs} pairs drawn from {@code source} (one pass) and writes them to
   * {@code file}.
   *
   * @param manager parent of the per-batch managers
   */
  public static ReferenceCache build(
      Path file, String digest, FrozenReference reference, BatchSource<PairBatch> source, long pairs, NDManager manager)
      throws IOException {
    Map<String, double[]> values = new HashMap<>();
    long seen = 0;
    while (seen < pairs) {
      try (NDManager m = manager.newSubManager();
          PairBatch batch = source.next(m)) {
        double[] sums = Host.doubles(reference.chosenAndRejected(batch, m));
        int b = batch.pairs();
        for (int i = 0; i < b; i++) {
          values.put(batch.ids().get(i), new double[] {sums[i], sums[b + i]});
        }
        seen += b;
      }
    }
    write(file, digest, values);
    return new ReferenceCache(digest, values);
  }

  /**
   * Opens a cache and checks that it belongs to the reference model with {@code expectedDigest}.
   *
   * @throws IllegalArgumentException on a digest mismatch or a file that is not a cache
   */
  public static ReferenceCache open(Path file, String expectedDigest) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      String magic = in.readUTF();
      Checks.argument(MAGIC.equals(magic), () -> "reference cache: " + file + " starts with '" + magic + "'; expected " + MAGIC);
      String digest = in.readUTF();
      Checks.argument(
          digest.equals(expectedDigest),
          () -> "reference cache: " + file + " was computed with reference " + digest + " but the reference model is "
              + expectedDigest + "; delete the cache or point model.reference_cache elsewhere");
      int n = in.readInt();
      Map<String, double[]> values = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        values.put(in.readUTF(), new double[] {in.readDouble(), in.readDouble()});
      }
      return new ReferenceCache(digest, values);
    }
  }

  private static void write(Path file, String digest, Map<String, double[]> values) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".tmp-", ".bin");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.writeUTF(MAGIC);
      out.writeUTF(digest);
      out.writeInt(values.size());
      for (Map.Entry<String, double[]> e : values.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeDouble(e.getValue()[0]);
        out.writeDouble(e.getValue()[1]);
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

  @Override
  public NDArray chosenAndRejected(PairBatch batch, NDManager manager) {
    int b = batch.pairs();
    float[] out = new float[2 * b];
    for (int i = 0; i < b; i++) {
      String id = batch.ids().get(i);
      double[] v = values.get(id);
      Checks.argument(v != null, () -> "reference cache: example '" + id + "' is not in the cache (" + values.size()
          + " pairs); expected every training id. Rebuild the cache for this data file");
      out[i] = (float) v[0];
      out[b + i] = (float) v[1];
    }
    return manager.create(out);
  }
}
