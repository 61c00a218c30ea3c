package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.UserIndex;
import dev.reward4j.core.model.SafetensorsFile;
import dev.reward4j.core.model.SafetensorsWriter;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The population parameters of a PAL-A ideal-point model on top of a {@link ScalarHeads}{@code (D)}
 * embedding model: K prototype ideal points {@code (K, D)} and a {@link UserTable} of simplex
 * logits {@code (U, K)} (user u's ideal point is {@code softmax(logits[u]) P}).
 *
 * <p><b>Files</b> ({@link #save}): {@code pal-prototypes.safetensors} (tensor {@code
 * pal.prototypes}) plus the user table {@code pal.user_logits} ({@link UserTable#save}).
 */
public final class IdealPointParameters implements AutoCloseable {
    /** Tensor name of the prototypes. */
    public static final String PROTOTYPES = "pal.prototypes";

    /** Name of the user table. */
    public static final String USER_LOGITS = "pal.user_logits";

    private final NDManager manager;
    private final NDArray prototypes;
    private final UserTable users;

    private IdealPointParameters(NDManager manager, NDArray prototypes, UserTable users) {
        this.manager = manager;
        this.prototypes = prototypes;
        this.users = users;
        prototypes.setName(PROTOTYPES);
    }

    /**
     * Fresh parameters: prototypes ~ N(0, 1) and user logits ~ N(0, 0.3^2) from {@code seed}
     * (random logits break the symmetry between the prototypes, with all users at the centre of the
     * simplex no prototype would specialise; larger logits are slow to move for users on the wrong
     * side).
     *
     * @param parent manager whose sub-managers own the parameters (the embedding model's manager)
     * @param prototypes K {@code >= 1}
     * @param dims embedding width D
     * @param users the users
     * @param seed prototype seed
     * @return the parameters (not trainable until {@link #setTrainable})
     */
    public static IdealPointParameters create(
            NDManager parent, int prototypes, int dims, UserIndex users, long seed) {
        Checks.argument(
                prototypes >= 1 && dims >= 1,
                () ->
                        "IdealPointParameters: prototypes ("
                                + prototypes
                                + ") and dims ("
                                + dims
                                + "); expected both >= 1");
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[prototypes * dims];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) gaussian(rng);
        }
        NDManager m = parent.newSubManager();
        NDArray proto = m.create(p, new Shape(prototypes, dims));
        return new IdealPointParameters(
                m,
                proto,
                UserTable.normal(parent, USER_LOGITS, users, prototypes, 0.3, rng.nextLong()));
    }

    /** The live {@code (K, D)} prototypes. */
    public NDArray prototypes() {
        return prototypes;
    }

    /** The users' simplex logits. */
    public UserTable users() {
        return users;
    }

    /** Number of prototypes K. */
    public int prototypeCount() {
        return (int) prototypes.getShape().get(0);
    }

    /** Every parameter by name, for an optimizer. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put(PROTOTYPES, prototypes);
        p.putAll(users.parameters());
        return p;
    }

    /** Turns requires-gradient on or off for prototypes and user logits. */
    public void setTrainable(boolean trainable) {
        prototypes.setRequiresGradient(trainable);
        users.setTrainable(trainable);
    }

    /**
     * Writes the prototypes and the user table into {@code dir}.
     *
     * @param dir target directory (created if missing)
     */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put(PROTOTYPES, prototypes);
            SafetensorsWriter.writeFile(dir.resolve("pal-prototypes.safetensors"), t);
            users.save(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("IdealPointParameters: cannot write " + dir, e);
        }
    }

    /**
     * Reads parameters written by {@link #save}.
     *
     * @param dir the directory
     * @param parent manager whose sub-managers own the parameters
     * @return the parameters (not trainable)
     */
    public static IdealPointParameters load(Path dir, NDManager parent) {
        NDManager m = parent.newSubManager();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("pal-prototypes.safetensors"))) {
            NDArray proto = f.read(PROTOTYPES, m, DataType.FLOAT32);
            return new IdealPointParameters(m, proto, UserTable.load(dir, USER_LOGITS, parent));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public void close() {
        users.close();
        manager.close();
    }
}
