package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
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

/**
 * A learned vector per user, {@code (U, W)} float32: the routing biases of a user-routed mixture or
 * the simplex logits of an ideal-point model. Rows follow a {@link UserIndex}. The table lives in
 * its own manager (a sub-manager of the parent given at creation), closed by {@link #close()}.
 *
 * <p><b>Files</b> ({@link #save}): {@code <name>.safetensors} with one tensor {@code <name>} of
 * shape {@code (U, W)} and {@code <name>-users.json} with the user ids in row order.
 */
public final class UserTable implements AutoCloseable {
    private final String name;
    private final UserIndex users;
    private final NDManager manager;
    private final NDArray table;

    private UserTable(String name, UserIndex users, NDManager manager, NDArray table) {
        this.name = name;
        this.users = users;
        this.manager = manager;
        this.table = table;
        table.setName(name);
    }

    /**
     * A table of zeros (uniform simplex weights, no routing bias).
     *
     * @param parent manager whose sub-manager owns the table (the model's manager, so that it is on
     *     the model's device)
     * @param name tensor and file name
     * @param users the users
     * @param width W {@code >= 1}
     * @return the table (not trainable until {@link #setTrainable})
     */
    public static UserTable zeros(NDManager parent, String name, UserIndex users, int width) {
        Checks.argument(width >= 1, () -> "UserTable: width (" + width + "); expected >= 1");
        NDManager m = parent.newSubManager();
        return new UserTable(
                name, users, m, m.zeros(new Shape(users.size(), width), DataType.FLOAT32));
    }

    /**
     * A table drawn from N(0, std^2) with {@code seed} (row-major, SplittableRandom): random
     * initial routing biases or simplex logits break the symmetry between interchangeable heads or
     * prototypes (with an all-zero table every user starts identical and the heads get no force to
     * specialise).
     *
     * @param parent manager whose sub-manager owns the table
     * @param name tensor and file name
     * @param users the users
     * @param width W {@code >= 1}
     * @param std standard deviation {@code >= 0}
     * @param seed the seed
     * @return the table (not trainable until {@link #setTrainable})
     */
    public static UserTable normal(
            NDManager parent, String name, UserIndex users, int width, double std, long seed) {
        Checks.argument(width >= 1, () -> "UserTable: width (" + width + "); expected >= 1");
        Checks.argument(std >= 0, () -> "UserTable: std (" + std + "); expected >= 0");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] v = new float[users.size() * width];
        for (int i = 0; i < v.length; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        NDManager m = parent.newSubManager();
        return new UserTable(name, users, m, m.create(v, new Shape(users.size(), width)));
    }

    /** Tensor and file name. */
    public String name() {
        return name;
    }

    /** The users, in row order. */
    public UserIndex users() {
        return users;
    }

    /** The live {@code (U, W)} parameter. */
    public NDArray table() {
        return table;
    }

    /** Width W. */
    public int width() {
        return (int) table.getShape().get(1);
    }

    /** The parameter by name, for an optimizer. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put(name, table);
        return p;
    }

    /** Turns requires-gradient on or off. */
    public void setTrainable(boolean trainable) {
        table.setRequiresGradient(trainable);
    }

    /**
     * The rows of the given users (differentiable in the table).
     *
     * @param userRows (B) int64 rows
     * @return (B, W), attached to the manager of {@code userRows}
     */
    public NDArray rows(NDArray userRows) {
        return userRows.getNDArrayInternal()
                .embedding(userRows, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /**
     * Writes {@code <name>.safetensors} and {@code <name>-users.json} into {@code dir}.
     *
     * @param dir target directory (created if missing)
     */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put(name, table);
            SafetensorsWriter.writeFile(dir.resolve(name + ".safetensors"), t);
            users.save(dir.resolve(name + "-users.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("UserTable: cannot write " + dir, e);
        }
    }

    /**
     * Reads a table written by {@link #save}.
     *
     * @param dir the directory
     * @param name tensor and file name
     * @param parent manager whose sub-manager owns the table
     * @return the table (not trainable)
     */
    public static UserTable load(Path dir, String name, NDManager parent) {
        UserIndex users = UserIndex.load(dir.resolve(name + "-users.json"));
        NDManager m = parent.newSubManager();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(name + ".safetensors"))) {
            NDArray t = f.read(name, m, DataType.FLOAT32);
            Checks.argument(
                    t.getShape().dimension() == 2 && t.getShape().get(0) == users.size(),
                    () ->
                            "UserTable: "
                                    + name
                                    + " has shape "
                                    + t.getShape()
                                    + " for "
                                    + users.size()
                                    + " users; expected (U, W)");
            return new UserTable(name, users, m, t);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * A table of the given rows.
     *
     * @param parent manager whose sub-manager owns the table
     * @param name tensor and file name
     * @param rows each user's row, all of one width W {@code >= 1}, at least one user
     * @return the table (rows in the sorted order of the users; not trainable)
     * @throws IllegalArgumentException for rows of different widths
     */
    public static UserTable of(NDManager parent, String name, Map<String, double[]> rows) {
        Checks.argument(!rows.isEmpty(), "UserTable: no users; expected at least one row");
        int w = rows.values().iterator().next().length;
        Checks.argument(w >= 1, () -> "UserTable: width (" + w + "); expected >= 1");
        UserIndex all = UserIndex.of(rows.keySet());
        float[] values = new float[all.size() * w];
        for (int u = 0; u < all.size(); u++) {
            String user = all.users().get(u);
            double[] v = rows.get(user);
            Checks.argument(
                    v.length == w,
                    () ->
                            "UserTable: row of user '"
                                    + user
                                    + "' has "
                                    + v.length
                                    + " values; expected "
                                    + w);
            for (int i = 0; i < w; i++) {
                values[u * w + i] = (float) v[i];
            }
        }
        NDManager m = parent.newSubManager();
        return new UserTable(name, all, m, m.create(values, new Shape(all.size(), w)));
    }

    /**
     * A new table with {@code added} users appended to this table's users (rows re-ordered by the
     * sorted index of all users; this table's values are copied, not shared).
     *
     * @param parent manager whose sub-manager owns the new table
     * @param added the new users' rows, each of width W; none may already be in this table
     * @return the table (not trainable)
     * @throws IllegalArgumentException for a known user or a row of another width
     */
    public UserTable withUsers(NDManager parent, Map<String, double[]> added) {
        int w = width();
        Map<String, double[]> rows = new LinkedHashMap<>();
        float[] old = table.toType(DataType.FLOAT32, false).toFloatArray();
        for (int u = 0; u < users.size(); u++) {
            double[] v = new double[w];
            for (int i = 0; i < w; i++) {
                v[i] = old[u * w + i];
            }
            rows.put(users.users().get(u), v);
        }
        added.forEach(
                (user, v) -> {
                    Checks.argument(
                            !rows.containsKey(user),
                            () -> "UserTable: user '" + user + "' is already in " + name);
                    Checks.argument(
                            v.length == w,
                            () ->
                                    "UserTable: row of user '"
                                            + user
                                            + "' has "
                                            + v.length
                                            + " values; expected "
                                            + w);
                    rows.put(user, v);
                });
        return of(parent, name, rows);
    }

    @Override
    public void close() {
        manager.close();
    }
}
